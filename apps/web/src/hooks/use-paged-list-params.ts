import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * How one list parameter lives in the address: its value when the address does not name it
 * (never written, so a plain list has a plain URL) and its conversion from and to the
 * address's values for its key (several for a multi-select: `?status=PAID&status=SCHEDULED`).
 * `parse` must accept anything, since anyone can edit an address: unknown values fall back.
 */
export interface ParamCodec<T> {
  readonly default: T;
  parse(raw: readonly string[]): T;
  serialize(value: T): string[];
}

/** The paging parameter of a list: its key in the address and its codec. */
export interface PagingParam<P> extends ParamCodec<P> {
  readonly key: string;
}

export type ParamSchema = Record<string, ParamCodec<unknown>>;
export type ParamValues<S extends ParamSchema> = { [K in keyof S]: S[K] extends ParamCodec<infer T> ? T : never };

/** Free text, trimmed when written; empty means "no filter". */
export function textParam(): ParamCodec<string> {
  return {
    default: '',
    parse: (raw) => raw[0]?.trim() ?? '',
    serialize: (value) => (value.trim() ? [value.trim()] : []),
  };
}

/** One of `values`; anything else in the address reads as the default. */
export function oneOfParam<const V extends string>(values: readonly V[]): ParamCodec<V | null>;
export function oneOfParam<const V extends string>(values: readonly V[], fallback: V): ParamCodec<V>;
export function oneOfParam<V extends string>(values: readonly V[], fallback: V | null = null): ParamCodec<V | null> {
  const allowed = new Set<string>(values);
  return {
    default: fallback,
    parse: (raw) => (raw[0] !== undefined && allowed.has(raw[0]) ? (raw[0] as V) : fallback),
    serialize: (value) => (value === null || value === fallback ? [] : [value]),
  };
}

/** Any number of `values` (a multi-select), in the address as a repeated key. */
export function listParam<const V extends string>(values: readonly V[]): ParamCodec<V[]> {
  const allowed = new Set<string>(values);
  return {
    default: [],
    parse: (raw) => [...new Set(raw)].filter((v): v is V => allowed.has(v)),
    serialize: (value) => [...value],
  };
}

/** `?page=N`, 1-based; page 1 is the default and is not written. */
export const pageNumber: PagingParam<number> = {
  key: 'page',
  default: 1,
  parse: (raw) => {
    const page = Number(raw[0]);
    return Number.isSafeInteger(page) && page > 1 ? page : 1;
  },
  serialize: (page) => (page > 1 ? [String(page)] : []),
};

/**
 * Cursor paging (`?before=120,95`): the cursors of the pages passed so far, so "Newer" can
 * step back; the last one is the current page's cursor. The first page is the default.
 */
export const cursorTrail: PagingParam<number[]> = {
  key: 'before',
  default: [],
  parse: (raw) => {
    const cursors = (raw[0] ?? '').split(',').filter(Boolean).map(Number);
    return cursors.every((c) => Number.isSafeInteger(c) && c > 0) ? cursors : [];
  },
  serialize: (cursors) => (cursors.length ? [cursors.join(',')] : []),
};

export interface PagedListParams<V, P> {
  /** Every filter (and the sort), parsed from the address; defaults where it says nothing. */
  filters: V;
  page: P;
  /** Changes some filters and goes back to the first page. Replaces the history entry: typing is not a trail of places. */
  setFilters(changes: Partial<V>): void;
  /** Goes to another page. Pushes a history entry, so Back returns to the page before. */
  setPage(page: P): void;
  /** All filters and the page back to their defaults. */
  clear(): void;
}

/**
 * The one hook behind every paged list: filters, sort and page live in the address's search
 * params, so a reload, a shared link and the Back button all show the same list. Defaults are
 * left out of the address; parameters the schema does not know are kept as they are.
 *
 * `schema` and `paging` must be stable (module-level constants).
 */
export function usePagedListParams<S extends ParamSchema>(schema: S): PagedListParams<ParamValues<S>, number>;
export function usePagedListParams<S extends ParamSchema, P>(
  schema: S,
  paging: PagingParam<P>,
): PagedListParams<ParamValues<S>, P>;
export function usePagedListParams(
  schema: ParamSchema,
  paging: PagingParam<unknown> = pageNumber,
): PagedListParams<Record<string, unknown>, unknown> {
  const [searchParams, setSearchParams] = useSearchParams();

  // setSearchParams edits the params of the render it came from; a debounced filter fires
  // later, so edits start from the latest params instead (and from each other within a tick).
  const latest = useRef(searchParams);
  useEffect(() => {
    latest.current = searchParams;
  }, [searchParams]);

  const write = useCallback(
    (edit: (next: URLSearchParams) => void, replace: boolean) => {
      const next = new URLSearchParams(latest.current);
      edit(next);
      if (next.toString() === latest.current.toString()) return;
      latest.current = next;
      setSearchParams(next, { replace });
    },
    [setSearchParams],
  );

  const filters = useMemo(() => {
    const values: Record<string, unknown> = {};
    for (const [key, codec] of Object.entries(schema)) values[key] = codec.parse(searchParams.getAll(key));
    return values;
  }, [schema, searchParams]);
  const page = useMemo(() => paging.parse(searchParams.getAll(paging.key)), [paging, searchParams]);

  const setFilters = useCallback(
    (changes: Record<string, unknown>) =>
      write((next) => {
        for (const [key, value] of Object.entries(changes)) {
          const codec = schema[key];
          if (!codec || value === undefined) continue;
          next.delete(key);
          for (const raw of codec.serialize(value)) next.append(key, raw);
        }
        next.delete(paging.key);
      }, true),
    [schema, paging, write],
  );

  const setPage = useCallback(
    (value: unknown) =>
      write((next) => {
        next.delete(paging.key);
        for (const raw of paging.serialize(value)) next.append(paging.key, raw);
      }, false),
    [paging, write],
  );

  const clear = useCallback(
    () =>
      write((next) => {
        for (const key of Object.keys(schema)) next.delete(key);
        next.delete(paging.key);
      }, true),
    [schema, paging, write],
  );

  return { filters, page, setFilters, setPage, clear };
}
