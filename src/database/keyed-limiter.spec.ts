import { KeyedLimiter } from './keyed-limiter';

describe('KeyedLimiter', () => {
  it('runs at most `limit` tasks per key at once, in order, and other keys freely', async () => {
    const limiter = new KeyedLimiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => {
        running++;
        most = Math.max(most, running);
        order.push(n);
        gates.push(() => {
          running--;
          resolve(n);
        });
      });
    const done = [1, 2, 3, 4, 5].map((n) => limiter.run('hot', task(n)));
    const other = limiter.run('quiet', task(99));
    while (gates.length < 3) await new Promise((r) => setImmediate(r));
    expect(order).toEqual([1, 2, 99]);
    while (gates.length) {
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(done)).toEqual([1, 2, 3, 4, 5]);
    expect(await other).toBe(99);
    expect(order).toEqual([1, 2, 99, 3, 4, 5]);
    expect(most).toBeLessThanOrEqual(3);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new KeyedLimiter(1);
    await expect(limiter.run('k', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(limiter.run('k', async () => 'yes')).resolves.toBe('yes');
  });
});
