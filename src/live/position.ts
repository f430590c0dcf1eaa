/** Where an event stands in its channel's order: a thread's version, or a transaction and a sequence. */
export type Position = readonly [bigint, bigint];

export const after = (a: Position, b: Position): boolean => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

export const positionKey = (p: Position): string => `${p[0]}-${p[1]}`;
