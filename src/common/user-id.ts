import { AppError } from '../errors/app-error';

/** Users' ids are the publisher's own (the token's `sub`): any 1 to 200 characters but NUL, well-formed. */
const USER_ID = /^[^\u0000]{1,200}$/u;

/** A user id from a path, or a 400. */
export function userIdParam(id: string): string {
  if (!USER_ID.test(id) || !id.isWellFormed()) throw AppError.validation('user id is not valid');
  return id;
}
