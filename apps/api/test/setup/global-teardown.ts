export default async function globalTeardown(): Promise<void> {
  await globalThis.__LM_TEST_SERVER_STOP__?.();
}
