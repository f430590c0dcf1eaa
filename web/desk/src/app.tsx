import { untracked, useSignal, useSignalEffect } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ApiError, reachable } from './api/client';
import { followModerationStream, live } from './api/stream';
import { href, route } from './router';
import { signOut } from './provider-session';
import { claims, expired, heldSession, signedInAs, token, tokenRefused } from './session';
import { loadSettings, settings } from './settings-store';
import { announcement, lastDecision, requestUndo } from './decisions';
import { SignIn } from './views/sign-in';
import { QueuePage } from './views/queue-page';
import { SearchPage } from './views/search-page';
import { UserPage } from './views/user-page';
import { ArticlesPage } from './views/articles-page';
import { SettingsPage } from './views/settings-page';
import { LogPage } from './views/log-page';
import { ImportPage } from './views/import-page';
import { SitesPage } from './views/sites-page';
import { DeliveriesPage } from './views/deliveries-page';
import { EmailsPage } from './views/emails-page';
import { DigestPage } from './views/digest-page';
import { loadMailStatus, mailStatus } from './mail-status';
import { WebhooksPage } from './views/webhooks-page';
import { SiteSwitcher } from './views/site-switcher';
import { loadMySites } from './my-sites';
import { isAdminHere, mySites, pageSite } from './site-choice';

type Access = 'checking' | 'moderator' | 'forbidden';

export function App() {
  const access = useSignal<Access>('checking');
  const loginUrl = useSignal<string | null>(null);

  useEffect(() => {
    fetch('/desk/config.json')
      .then((r) => r.json())
      .then((c: { loginUrl: string | null }) => (loginUrl.value = c.loginUrl))
      .catch(() => {});
  }, []);

  // Which sites this person moderates: none is a commenter's token. (Not asked again for a renewed token.)
  useSignalEffect(() => {
    if (!signedInAs.value) return;
    access.value = 'checking';
    mySites.value = null;
    // (The call reads signals as it starts: they are not this effect's to follow.)
    untracked(loadMySites).then(
      () => mySites.value?.length === 0 && (access.value = 'forbidden'),
      () => {},
    );
  });

  // The settings of the site acted on both confirm the role there (403 otherwise) and feed the highlights.
  // Read at once, beside /api/me (as before there were sites): a moderator's first keys need them.
  // They are read again when the site the requests name changes, not when /api/me merely settles it.
  useSignalEffect(() => {
    void pageSite.value;
    if (!signedInAs.value) return;
    settings.value = null;
    untracked(loadSettings).then(
      () => (access.value = 'moderator'),
      (error) => {
        if (error instanceof ApiError && error.status === 403) access.value = 'forbidden';
      },
    );
  });

  // Whether emails are kept for admins (the Emails page) and sent at all (sign-in by email): asked of admins only.
  useSignalEffect(() => {
    const admin = mySites.value?.some((s) => s.role === 'admin');
    if (token.value && admin) void untracked(loadMailStatus);
    else mailStatus.value = null;
  });

  useEffect(() => followModerationStream(), []);

  // A token that runs out asks for a new one before the API has to refuse it (a session's is renewed instead).
  useSignalEffect(() => {
    const c = claims.value;
    if (!c?.exp || heldSession.value) return;
    const timer = setTimeout(() => (tokenRefused.value = true), Math.max(0, c.exp * 1000 - Date.now()));
    return () => clearTimeout(timer);
  });

  if (!token.value) return <SignIn loginUrl={loginUrl.value} />;
  if (access.value === 'forbidden') return <Forbidden />;
  return (
    <>
      <Header />
      {!reachable.value && (
        <p class="offline" role="alert">
          The service cannot be reached. Retrying; nothing you typed is lost.
        </p>
      )}
      <main id="main" tabIndex={-1} class={WIDE.has(route.value.page) ? 'wide' : undefined}>
        {settings.value || WITHOUT_SETTINGS.has(route.value.page) ? <Page /> : <p class="loading">Loading…</p>}
      </main>
      <Announcer />
      {/* (While the console holds a session, it renews the token itself.) */}
      {(tokenRefused.value || expired(claims.value)) && !heldSession.value && (
        <SignIn
          loginUrl={loginUrl.value}
          modal
          reason="Your session has expired. Sign in again to carry on where you were."
        />
      )}
    </>
  );
}

/** Pages of tables that read better the wider they are (one line per log entry). */
const WIDE = new Set(['log']);

/** Pages drawn before the settings arrive (the highlights follow when they do): a first draw of one round trip, not two. */
const WITHOUT_SETTINGS = new Set(['queue', 'search', 'digest']);

function Page() {
  switch (route.value.page) {
    case 'search':
      return <SearchPage />;
    case 'users':
      return <UserPage />;
    case 'articles':
      return <ArticlesPage />;
    case 'settings':
      return <SettingsPage />;
    case 'log':
      return <LogPage />;
    case 'imports':
      return <ImportPage />;
    case 'sites':
      return <SitesPage />;
    case 'deliveries':
      return <DeliveriesPage />;
    case 'emails':
      return <EmailsPage />;
    case 'digest':
      return <DigestPage />;
    case 'webhooks':
      return <WebhooksPage />;
    default:
      return <QueuePage />;
  }
}

const NAV: [string, string][] = [
  ['queue', 'Queues'],
  ['search', 'Search'],
  ['articles', 'Articles'],
  ['log', 'Log'],
  ['settings', 'Settings'],
  ['imports', 'Import'],
  ['sites', 'Sites'],
  ['webhooks', 'Webhooks'],
  ['deliveries', 'Deliveries'],
  ['emails', 'Emails'],
  ['digest', 'Digest'],
];
/** Sections only administrators (of the site acted on) can use: not offered to anyone else. */
const ADMINS_ONLY = new Set(['settings', 'imports', 'sites', 'webhooks', 'deliveries', 'emails']);
/** Sections that exist only while the installation keeps its emails instead of sending them. */
const WHILE_CATCHING = new Set(['emails']);

function Header() {
  const page = route.value.page;
  const isAdmin = isAdminHere();
  return (
    <header class="top">
      <a class="skip" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <span class="brand">Comment Desk</span>
      <SiteSwitcher />
      <nav aria-label="Sections">
        {NAV.filter(
          ([p]) => (isAdmin || !ADMINS_ONLY.has(p)) && (mailStatus.value?.catching || !WHILE_CATCHING.has(p)),
        ).map(([p, label]) => (
          <a href={href(p)} aria-current={page === p ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <span class={live.value ? 'live on' : 'live'} role="status">
        <span class="live-text">{live.value ? 'Live' : 'Connecting…'}</span>
      </span>
      <span class="who" title={claims.value?.name ?? claims.value?.sub}>
        <bdi>{claims.value?.name ?? claims.value?.sub}</bdi>
      </span>
      <button type="button" class="quiet" onClick={() => void signOut()}>
        Sign out
      </button>
    </header>
  );
}

function skipToMain(event: Event) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

/** The latest outcome, read out by screen readers; after a decision, its Undo (also `u`). */
function Announcer() {
  const said = announcement.value;
  useEffect(() => {
    if (!said) return;
    const timer = setTimeout(() => announcement.value === said && (announcement.value = null), 8000);
    return () => clearTimeout(timer);
  }, [said]);
  return (
    <div class="announcement" role="status" aria-live="polite">
      {said?.text}
      {said?.undo && lastDecision.value && (
        <button type="button" onClick={requestUndo}>
          Undo
        </button>
      )}
    </div>
  );
}

function Forbidden() {
  return (
    <main class="center">
      <h1>This needs a moderator</h1>
      <p>
        You are signed in as <strong>{claims.value?.name ?? claims.value?.sub}</strong>, who may comment but not
        moderate. Ask an administrator for moderator rights, or sign in as a moderator.
      </p>
      <button type="button" onClick={() => void signOut()}>
        Sign in as someone else
      </button>
    </main>
  );
}
