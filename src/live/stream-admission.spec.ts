import { StreamAdmission } from './stream-admission';

const MB = 1024 * 1024;

describe('StreamAdmission', () => {
  it('sets up a bounded number of streams at once, lets a few wait in arrival order, and turns the rest away', async () => {
    const admission = new StreamAdmission({ setupConcurrency: 2, setupQueue: 2, heapHighWater: 100 * MB }, () => MB);
    const releaseFirst = await admission.slot()!;
    const releaseSecond = await admission.slot()!;
    const order: string[] = [];
    const third = admission.slot()!.then((release) => (order.push('third'), release));
    const fourth = admission.slot()!.then((release) => (order.push('fourth'), release));
    expect(admission.slot()).toBeUndefined();
    expect(admission.pending).toBe(4);
    releaseFirst();
    releaseFirst(); // twice is once
    (await third)();
    releaseSecond();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
    expect(admission.pending).toBe(0);
  });

  it('lets a stream that must not be turned away wait past the queue', async () => {
    const admission = new StreamAdmission({ setupConcurrency: 1, setupQueue: 0, heapHighWater: 100 * MB }, () => MB);
    const release = await admission.slot()!;
    expect(admission.slot()).toBeUndefined();
    const moderator = admission.slot(true)!;
    release();
    (await moderator)();
    expect(admission.pending).toBe(0);
  });

  it('is over its high-water mark only while the heap in use is', () => {
    let heap = 50 * MB;
    const admission = new StreamAdmission({ setupConcurrency: 1, setupQueue: 1, heapHighWater: 100 * MB }, () => heap);
    expect(admission.overHighWater()).toBe(false);
    heap = 101 * MB;
    expect(admission.overHighWater()).toBe(true);
    heap = 99 * MB;
    expect(admission.overHighWater()).toBe(false);
  });

  it('spreads the retries of a crowd over the time it takes to set them up, within bounds', () => {
    const admission = new StreamAdmission({ setupConcurrency: 1, setupQueue: 1, heapHighWater: 100 * MB }, () => MB);
    const first = Array.from({ length: 10 }, () => admission.retryAfter('busy'));
    expect(Math.max(...first)).toBeLessThanOrEqual(2);
    const crowd = Array.from({ length: 20_000 }, () => admission.retryAfter('busy'));
    expect(Math.min(...crowd)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...crowd)).toBeLessThanOrEqual(30);
    expect(Math.max(...crowd)).toBeGreaterThan(20); // 20,000 at 200 a second: spread over the bound
    expect(new Set(crowd).size).toBeGreaterThan(20);
    const memory = Array.from({ length: 100 }, () => admission.retryAfter('memory'));
    expect(Math.min(...memory)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...memory)).toBeLessThanOrEqual(15);
  });
});
