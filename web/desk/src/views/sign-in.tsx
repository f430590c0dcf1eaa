import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { decodeClaims, loginHref, setToken } from '../session';
import { identitySite, setIdentitySite } from '../site-choice';

interface Props {
  loginUrl: string | null;
  /** Over the current page, which stays as it was (a session that expired). */
  modal?: boolean;
  reason?: string;
}

/** Signing in: through the publisher's login when DESK_LOGIN_URL is set, or by pasting a token. */
export function SignIn({ loginUrl, modal, reason }: Props) {
  const pasted = useSignal('');
  const site = useSignal(identitySite.value ?? '');
  const problem = useSignal<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (modal && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [modal]);

  const submit = (event: Event) => {
    event.preventDefault();
    const value = pasted.value.trim().replace(/^Bearer\s+/i, '');
    if (!decodeClaims(value)) {
      problem.value = 'This is not a token: paste the whole JWT, three parts separated by dots.';
      return;
    }
    const key = site.value.trim().toLowerCase();
    if (key && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(key)) {
      problem.value = 'A site is named by its key: small letters, digits and dashes, such as "daily-news".';
      return;
    }
    setIdentitySite(key || null);
    setToken(value);
  };

  const body = (
    <>
      <h1 id="sign-in-title">Sign in to Comment Desk</h1>
      {reason && <p>{reason}</p>}
      {loginUrl && (
        <p>
          <a class="button primary" href={loginHref(loginUrl)}>
            Sign in
          </a>
        </p>
      )}
      <form onSubmit={submit} class="stack">
        <label for="token">{loginUrl ? 'Or paste a token from your login' : 'Paste a token from your login'}</label>
        <textarea
          id="token"
          rows={3}
          value={pasted.value}
          aria-invalid={problem.value ? 'true' : undefined}
          aria-describedby={problem.value ? 'token-problem' : undefined}
          onInput={(e) => (pasted.value = e.currentTarget.value)}
        />
        {problem.value && (
          <p id="token-problem" class="error">
            {problem.value}
          </p>
        )}
        <label for="token-site">Site of this token</label>
        <input
          id="token-site"
          value={site.value}
          placeholder="the first site"
          autoComplete="off"
          spellcheck={false}
          aria-describedby="token-site-hint"
          onInput={(e) => (site.value = e.currentTarget.value)}
        />
        <p id="token-site-hint" class="hint">
          The key of the site whose login gave the token; leave it empty for the first site.
        </p>
        <button type="submit">Use this token</button>
      </form>
    </>
  );
  if (modal)
    return (
      <dialog ref={dialog} aria-labelledby="sign-in-title" onCancel={(e) => e.preventDefault()}>
        {body}
      </dialog>
    );
  return <main class="center">{body}</main>;
}
