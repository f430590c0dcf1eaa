import { AppError } from '../errors/app-error';
import { decodeCursor, encodeCursor, toPage } from './pagination';

const position = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: '3f1c2a9e-8d1b-4b7a-9c3e-2a1b0c9d8e7f' };

describe('cursors', () => {
  it('round-trips a position', () => {
    expect(decodeCursor('thread:newest', encodeCursor('thread:newest', position))).toEqual(position);
  });
  it('refuses a cursor of another list', () => {
    expect(() => decodeCursor('thread:oldest', encodeCursor('thread:newest', position))).toThrow(AppError);
  });
  it.each([
    '',
    'garbage',
    Buffer.from('["thread:newest","not a date","x"]').toString('base64url'),
    Buffer.from('{}').toString('base64url'),
  ])('refuses the forged cursor %p', (cursor) => {
    expect(() => decodeCursor('thread:newest', cursor)).toThrow(AppError);
  });
  it('has no cursor when absent', () => {
    expect(decodeCursor('log', undefined)).toBeUndefined();
  });
});

describe('toPage', () => {
  const rows = [1, 2, 3].map((n) => ({ ...position, id: `${n}` }));
  it('gives a next cursor only when there is one more row than the limit', () => {
    expect(toPage('log', rows, 2).items).toHaveLength(2);
    expect(toPage('log', rows, 2).nextCursor).not.toBeNull();
    expect(toPage('log', rows, 3).nextCursor).toBeNull();
  });
});
