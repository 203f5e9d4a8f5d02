import { DemoClock } from './demo-clock';

describe('DemoClock', () => {
  it('is the present outside travel, and untilPresent resolves at once', async () => {
    const clock = new DemoClock();
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
    await expect(clock.untilPresent()).resolves.toBeUndefined();
  });

  it('holds untilPresent while set back and releases it when the travel ends, even on failure', async () => {
    const clock = new DemoClock();
    const past = new Date(Date.now() - 90 * 86_400_000);
    let released = false;
    let waiting: Promise<void> | undefined;
    await expect(
      clock.travel(past, async () => {
        expect(clock.travelling).toBe(true);
        expect(Math.abs(clock.now().getTime() - past.getTime())).toBeLessThan(1000);
        waiting = clock.untilPresent().then(() => {
          released = true;
        });
        await new Promise((r) => setTimeout(r, 20));
        expect(released).toBe(false);
        throw new Error('seeding failed');
      }),
    ).rejects.toThrow('seeding failed');
    await waiting;
    expect(released).toBe(true);
    expect(clock.travelling).toBe(false);
  });
});
