import { InvalidDirectoryFilter } from '../marketplace.errors';
import { isSortKey, type DirectorySort, type DirectorySortKey } from '../marketplace.queries';

/**
 * The directory's `cursor`: the sort and the sort key of the last row of a page, as base64url
 * JSON. Opaque to clients; checked on the way back in (a cursor of another sort, or one that
 * does not decode to a key of that sort's shape, is a 400, never a query error).
 */
export function encodeDirectoryCursor(sort: DirectorySort, key: DirectorySortKey): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key })).toString('base64url');
}

export function decodeDirectoryCursor(cursor: string, sort: DirectorySort): DirectorySortKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor();
  const { s, k } = parsed as { s?: unknown; k?: unknown };
  if (s !== sort) throw new InvalidDirectoryFilter('cursor: it belongs to another sort; keep the sort of the page it came from');
  if (!isSortKey(sort, k)) throw invalidCursor();
  return k;
}

const invalidCursor = () => new InvalidDirectoryFilter('cursor: not a cursor this directory gave out');
