import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { loadSignInSites, signInSites, signInWith, SignInSite } from '../provider-session';
import { decodeClaims, loginHref, setToken } from '../session';
import { identitySite, setIdentitySite } from '../site-choice';

interface Props {
  loginUrl: string | null;
  /** Over the current page, which stays as it was (a session that expired). */
  modal?: boolean;
  reason?: string;
}

/**
 * Signing in: with the OpenID provider of a site that has one, through the publisher's login when
 * DESK_LOGIN_URL is set, or by pasting a token.
 */
export function SignIn({ loginUrl, modal, reason }: Props) {
  const pasted = useSignal('');
  const site = useSignal(identitySite.value ?? '');
  const problem = useSignal<string | null>(null);
  /** What the sign-in with a site's provider is doing, said to screen readers too. */
  const progress = useSignal<{ text: string; failed?: boolean } | null>(null);
  const attempt = useRef(0);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (modal && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [modal]);
  useEffect(loadSignInSites, []);

  const signInWithSite = async (chosen: SignInSite) => {
    const mine = ++attempt.current; // (only the latest click's outcome is told)
    progress.value = { text: `Finish signing in with ${chosen.name} in the window that opened.` };
    const done = await signInWith(chosen.key);
    if (mine !== attempt.current) return;
    progress.value = done
      ? null
      : {
          text: `The sign-in with ${chosen.name} did not finish. Try again; if no window opened, allow this page's pop-up windows.`,
          failed: true,
        };
  };
  const sites = signInSites.value;

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
      {sites.length > 0 && (
        <ul class="sign-in-sites">
          {sites.map((s) => (
            <li key={s.key}>
              <button type="button" class={loginUrl ? undefined : 'primary'} onClick={() => void signInWithSite(s)}>
                Sign in with <bdi>{s.name}</bdi>
              </button>
            </li>
          ))}
        </ul>
      )}
      <p role="status" class={`sign-in-progress ${progress.value?.failed ? 'error' : 'hint'}`}>
        {progress.value?.text}
      </p>
      {loginUrl && (
        <p>
          <a class="button primary" href={loginHref(loginUrl)}>
            Sign in
          </a>
        </p>
      )}
      <form onSubmit={submit} class="stack">
        <label for="token">
          {loginUrl || sites.length > 0 ? 'Or paste a token from your login' : 'Paste a token from your login'}
        </label>
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
