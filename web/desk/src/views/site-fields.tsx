import { ApiError } from '../api/client';
import { problemText, type Fields } from '../forms';

/**
 * What the sites' pages share: a site's fields as the API names them, how typed text becomes lists,
 * the origins' field, and the words for a service without the sites' administration.
 */

/** The fields of a site in the API's messages ("Key must match…"). */
export const SITE_FIELDS = {
  key: { label: 'Key' },
  name: { label: 'Name' },
  origins: { label: 'Origins' },
  'identity.issuer': { label: 'Issuer' },
  'identity.audience': { label: 'Audience' },
  'identity.jwksUrl': { label: 'JWKS URL' },
  'identity.publicKeys': { label: 'Public keys' },
  'identity.secrets': { label: 'HS256 secrets' },
  'identity.emailLinks': { label: 'Sign-in by email' },
  identity: { label: 'Identity' },
};

/** One per line, blanks dropped. */
export const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** A 404 from a service without the sites' administration says so, rather than "not found". */
export function unavailable(error: unknown): string {
  if (error instanceof ApiError && error.status === 404 && !error.problem.code)
    return 'This service does not offer the administration of sites yet.';
  return problemText(error);
}

export function OriginsField(props: { form: string; value: string; onInput: (v: string) => void; f: Fields }) {
  const id = `${props.form}-origins`;
  return (
    <>
      <label for={id}>Origins</label>
      <textarea
        id={id}
        rows={3}
        spellcheck={false}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        {...props.f.control('origins', `${id}-hint`)}
      />
      <p id={`${id}-hint`} class="muted hint">
        One a line, such as https://news.example: the pages there may show this site’s threads.
      </p>
      {props.f.message('origins')}
    </>
  );
}
