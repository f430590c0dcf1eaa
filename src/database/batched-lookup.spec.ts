import { BatchedLookup } from './batched-lookup';

/** A fetch whose calls are held until the test releases them, recording the keys of each. */
function heldFetch() {
  const calls: { keys: string[]; counts: number[]; release: (rows?: Map<string, string[]>, error?: Error) => void }[] =
    [];
  const fetch = (batch: Map<string, number>) =>
    new Promise<Map<string, string[]>>((resolve, reject) => {
      const keys = [...batch.keys()];
      calls.push({
        keys,
        counts: [...batch.values()],
        release: (rows, error) =>
          error ? reject(error) : resolve(rows ?? new Map(keys.map((k) => [k, [`row ${k}`]]))),
      });
    });
  return { calls, fetch };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchedLookup', () => {
  it('answers the requests of one turn with one fetch, the same key once', async () => {
    const { calls, fetch } = heldFetch();
    const lookup = new BatchedLookup(fetch);
    const answers = Promise.all([lookup.get('a'), lookup.get('b'), lookup.get('a')]);
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['a', 'b']]);
    expect(calls[0].counts).toEqual([2, 1]);
    calls[0].release(new Map([['a', ['row a']]]));
    expect(await answers).toEqual(['row a', undefined, 'row a']);
  });

  it('gives each waiter on a key its own answer, in the order they came, when there is one each', async () => {
    const { calls, fetch } = heldFetch();
    const lookup = new BatchedLookup(fetch);
    const answers = Promise.all([lookup.get('a'), lookup.get('a'), lookup.get('a')]);
    await turn();
    calls[0].release(new Map([['a', ['first', 'second', 'third']]]));
    expect(await answers).toEqual(['first', 'second', 'third']);
  });

  it('never answers a request with a fetch that was sent before it arrived', async () => {
    const { calls, fetch } = heldFetch();
    const lookup = new BatchedLookup(fetch);
    const first = lookup.get('a');
    await turn();
    const second = lookup.get('a'); // arrives while the first fetch is in flight
    const third = lookup.get('b');
    await turn();
    expect(calls).toHaveLength(1);
    calls[0].release(new Map([['a', ['old']]]));
    expect(await first).toBe('old');
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['a'], ['a', 'b']]);
    calls[1].release(new Map([['a', ['new']]]));
    expect(await Promise.all([second, third])).toEqual(['new', undefined]);
  });

  it('rejects only the requests of a failed fetch, and goes on with the next', async () => {
    const { calls, fetch } = heldFetch();
    const lookup = new BatchedLookup(fetch);
    const failed = lookup.get('a');
    await turn();
    const later = lookup.get('a');
    calls[0].release(undefined, new Error('connection lost'));
    await expect(failed).rejects.toThrow('connection lost');
    await turn();
    calls[1].release();
    expect(await later).toBe('row a');
  });

  it('sends at most maxKeys keys a fetch', async () => {
    const { calls, fetch } = heldFetch();
    const lookup = new BatchedLookup(fetch, 2);
    const answers = Promise.all(['a', 'b', 'c'].map((k) => lookup.get(k)));
    await turn();
    calls[0].release();
    await turn();
    calls[1].release();
    expect(await answers).toEqual(['row a', 'row b', 'row c']);
    expect(calls.map((c) => c.keys)).toEqual([['a', 'b'], ['c']]);
  });
});
