/**
 * Polls `read` until `ok` accepts its value (background jobs finish asynchronously), then
 * returns that value; fails with the last value seen after `timeoutMs`.
 */
export async function eventually<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean = Boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
