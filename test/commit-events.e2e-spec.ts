import { DataSource } from 'typeorm';
import { Transactions } from '../src/database/transactions';
import { CommitEvents } from '../src/journal/commit-events';
import { createTestApp, TestApp } from './support/test-app';

describe('events heard after a commit (e2e)', () => {
  let t: TestApp;
  let events: CommitEvents;
  let transactions: Transactions;
  const heard: string[][] = [];

  beforeAll(async () => {
    t = await createTestApp();
    events = t.app.get(CommitEvents);
    transactions = t.app.get(Transactions);
    events.on('user.renamed', (renamed) => heard.push(renamed.map((r) => r.userId)));
  });
  beforeEach(() => (heard.length = 0));
  afterAll(() => t.close());

  it("hands a transaction's events to the listener together, once it has committed", async () => {
    await transactions.run(async (manager) => {
      events.raise(manager, 'user.renamed', { userId: 'first' });
      events.raise(manager, 'user.renamed', { userId: 'second' });
      await manager.query('SELECT 1');
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual([['first', 'second']]);
  });

  it('hears nothing of a transaction that rolled back, and nothing of it after the next one commits', async () => {
    let tries = 0;
    await expect(
      transactions.run(async (manager) => {
        tries++;
        events.raise(manager, 'user.renamed', { userId: 'undone' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(tries).toBe(1);
    expect(heard).toEqual([]);
    await transactions.run(async (manager) => events.raise(manager, 'user.renamed', { userId: 'later' }));
    expect(heard).toEqual([['later']]);
  });

  it('hands an event raised outside a transaction at once: its statement has committed', () => {
    events.raise(t.app.get(DataSource).manager, 'user.renamed', { userId: 'alone' });
    expect(heard).toEqual([['alone']]);
  });
});
