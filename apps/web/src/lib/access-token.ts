/**
 * The access token lives only in memory (never localStorage, where any injected script could
 * read it). A reload starts without one and gets a new one from the HttpOnly refresh cookie.
 */
type Listener = (token: string | null) => void;

let current: string | null = null;
const listeners = new Set<Listener>();

export const accessToken = {
  get(): string | null {
    return current;
  },
  set(token: string | null): void {
    if (token === current) return;
    current = token;
    for (const listener of listeners) listener(token);
  },
  /** Returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};
