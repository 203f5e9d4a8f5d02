/** A single byte range of a resource of known size, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads an HTTP `Range` header for a resource of `size` bytes (RFC 9110 §14.1.2, one range):
 * `bytes=a-b`, `bytes=a-` (to the end) or `bytes=-n` (the last n bytes); `b` past the end is
 * shortened to the last byte. Returns null when there is no header (the whole resource), and
 * 'unsatisfiable' for anything else: several ranges, another unit, a malformed value, or a
 * range that starts past the end (→ 416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (header === undefined || header === '') return null;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'unsatisfiable';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
