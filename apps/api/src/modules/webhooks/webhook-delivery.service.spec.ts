import { inFairLanes } from './webhook-delivery.service';

describe('inFairLanes (how the worker and the sweep share their lanes between endpoints)', () => {
  /** Runs the items, each held until released by the test; records what runs at once. */
  const harness = () => {
    const started: string[] = [];
    const waiting = new Map<string, () => void>();
    const work = (item: { id: string; key: string }) =>
      new Promise<void>((resolve) => {
        started.push(item.id);
        waiting.set(item.id, resolve);
      });
    const release = (id: string) => {
      waiting.get(id)!();
      waiting.delete(id);
    };
    const tick = () => new Promise((r) => setImmediate(r));
    return { started, waiting, work, release, tick };
  };

  it('never runs more than `perKey` items of one key at once, and lets later keys go ahead meanwhile', async () => {
    const h = harness();
    const items = [
      ...Array.from({ length: 6 }, (_, n) => ({ id: `slow${n}`, key: 'slow' })),
      { id: 'other', key: 'other' },
    ];
    const done = inFairLanes(items, (i) => i.key, 4, 2, h.work);
    await h.tick();
    // Two of the slow endpoint's, then the other endpoint's: it did not wait behind the backlog.
    expect(h.started).toEqual(['slow0', 'slow1', 'other']);
    h.release('other');
    await h.tick();
    expect(h.started).toHaveLength(3);
    h.release('slow0');
    await h.tick();
    expect(h.started).toEqual(['slow0', 'slow1', 'other', 'slow2']);
    for (const id of ['slow1', 'slow2', 'slow3', 'slow4', 'slow5']) {
      while (!h.waiting.has(id)) await h.tick();
      expect([...h.waiting.keys()].filter((k) => k.startsWith('slow')).length).toBeLessThanOrEqual(2);
      h.release(id);
    }
    await done;
    expect(h.started).toHaveLength(7);
  });

  it('works through every item even when some fail, then throws the first failure', async () => {
    const seen: number[] = [];
    const run = inFairLanes([1, 2, 3, 4], (n) => String(n % 2), 2, 1, async (n) => {
      seen.push(n);
      if (n === 2) throw new Error('boom 2');
    });
    await expect(run).rejects.toThrow('boom 2');
    expect(seen.sort()).toEqual([1, 2, 3, 4]);
  });
});
