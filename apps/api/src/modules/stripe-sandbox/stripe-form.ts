/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` bodies (and GET query
 * strings) with bracket notation for nesting, e.g.
 * `line_items[0][price_data][currency]=eur&metadata[sessionId]=…&expand[]=payment_intent`.
 * Parsed into plain objects; indexed levels become arrays (except under `metadata`, whose keys
 * are arbitrary strings). Every leaf is a string, as on the wire; an empty value means "unset".
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseStripeForm(text: string): Record<string, FormValue> {
  const root: Node = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    const path = splitKey(key);
    if (!path) continue;
    assign(root, path, value);
  }
  return normalise(root, null) as Record<string, FormValue>;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** `a[b][0][]` → ['a', 'b', '0', '']; null for keys that are not bracket paths. */
function splitKey(key: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return null;
  const rest = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '');
  return [match[1]!, ...rest];
}

type Node = { [key: string]: Node | string };

function assign(root: Node, path: string[], value: string): void {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    let segment = path[i]!;
    const last = i === path.length - 1;
    if (segment === '') segment = String(Object.keys(node).length); // `a[]=x` appends
    if (last) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (typeof next !== 'object') node[segment] = {};
    node = node[segment] as Node;
  }
}

function normalise(node: Node | string, parentKey: string | null): FormValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const entries = keys.map((k) => [k, normalise(node[k]!, k)] as const);
  const indexed =
    parentKey !== 'metadata' &&
    keys.length > 0 &&
    keys.every((k) => /^\d+$/.test(k)) &&
    [...keys].sort((a, b) => Number(a) - Number(b)).every((k, i) => Number(k) === i);
  if (indexed) return [...entries].sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  return Object.fromEntries(entries);
}
