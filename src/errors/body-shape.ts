import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';

const MAX_DEPTH = 32;
const MAX_NODES = 50_000;

/**
 * Refuses JSON bodies nested deeper or larger than any request of this API needs, before the
 * validation layer walks them: it recurses, and a few KB of brackets would exhaust its stack,
 * while a few hundred thousand array items would hold the event loop for seconds.
 */
export function limitBodyShape(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object') return next();
  const pending: [unknown, number][] = [[body, 1]];
  let nodes = 0;
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (++nodes > MAX_NODES) return next(AppError.validation(`The body has more than ${MAX_NODES} values`));
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) return next(AppError.validation(`The body is nested deeper than ${MAX_DEPTH} levels`));
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  next();
}
