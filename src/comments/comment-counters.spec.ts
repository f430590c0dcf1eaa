import { countDeltas, CountedState } from './comment-counters';

const s = (status: CountedState['status'], extra: Partial<CountedState> = {}): CountedState => ({
  status,
  deleted: false,
  reported: false,
  ...extra,
});

describe('countDeltas', () => {
  it('counts a new published comment as visible and published', () => {
    expect(countDeltas(null, s('published'))).toEqual({
      visible: 1,
      pending: 0,
      published: 1,
      approved: 0,
      rejected: 0,
      reported: 0,
    });
  });
  it('moves a comment between statuses without touching visible when both are visible', () => {
    expect(countDeltas(s('published'), s('approved'))).toEqual({
      visible: 0,
      pending: 0,
      published: -1,
      approved: 1,
      rejected: 0,
      reported: 0,
    });
  });
  it('takes a rejected reported comment out of visible and reported', () => {
    expect(countDeltas(s('published', { reported: true }), s('rejected'))).toEqual({
      visible: -1,
      pending: 0,
      published: -1,
      approved: 0,
      rejected: 1,
      reported: -1,
    });
  });
  it('drops a deleted comment from every count', () => {
    expect(countDeltas(s('approved', { reported: true }), s('approved', { reported: true, deleted: true }))).toEqual({
      visible: -1,
      pending: 0,
      published: 0,
      approved: -1,
      rejected: 0,
      reported: -1,
    });
  });
});
