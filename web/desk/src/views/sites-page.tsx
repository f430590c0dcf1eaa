import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api/client';
import {
  createSite,
  getSite,
  grantRole,
  listMembers,
  listSites,
  revokeRole,
  updateSite,
  type MemberView,
  type SiteIdentityInput,
  type SiteRole,
  type SiteView,
} from '../api/sites';
import { announcement } from '../decisions';
import { count, when } from '../format';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, problemText, type FieldErrors } from '../forms';
import { loadMySites } from '../my-sites';
import { usePageHeading } from '../page-heading';
import { go, href, route } from '../router';
import { isAdminHere } from '../site-choice';

/** The fields of a site in the API's messages ("Key must match…"). */
const SITE_FIELDS = {
  key: { label: 'Key' },
  name: { label: 'Name' },
  origins: { label: 'Origins' },
  'identity.issuer': { label: 'Issuer' },
  'identity.audience': { label: 'Audience' },
  'identity.jwksUrl': { label: 'JWKS URL' },
  'identity.publicKeys': { label: 'Public keys' },
  'identity.secrets': { label: 'HS256 secrets' },
  identity: { label: 'Identity' },
};
const MEMBER_FIELDS = { userSite: { label: 'User’s site' }, sub: { label: 'User id' }, role: { label: 'Role' } };

/** One per line, blanks dropped. */
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
/** PEM blocks, each from its BEGIN line to its END line. */
const pemBlocks = (text: string) => text.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g) ?? [];

/** A site's whole list, or the site's own page (`#/sites/<key>`). */
export function SitesPage() {
  const key = route.value.parts[0];
  const heading = usePageHeading(key ? `Site ${key}` : 'Sites');
  if (!isAdminHere())
    return (
      <>
        <h1 tabIndex={-1} ref={heading}>
          Sites
        </h1>
        <p class="panel" role="alert">
          Only administrators can manage sites.
        </p>
      </>
    );
  return key ? <SiteEditor key={key} siteKey={key} heading={heading} /> : <SiteList heading={heading} />;
}

type Heading = ReturnType<typeof usePageHeading>;

function SiteList({ heading }: { heading: Heading }) {
  const sites = useSignal<SiteView[] | null>(null);
  const problem = useSignal<string | null>(null);
  useEffect(() => {
    listSites().then(
      (found) => (sites.value = found.items),
      (error) => (problem.value = unavailable(error)),
    );
  }, []);
  // The organisation's admins (admins of the first site) make sites.
  const organisation = sites.value?.some((s) => s.id === 1 && s.role === 'admin') ?? false;
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        Sites
      </h1>
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {organisation && <NewSite />}
      {sites.value && (
        <table class="stacked">
          <caption class="visually-hidden">The sites you administer or moderate</caption>
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Key</th>
              <th scope="col">Origins</th>
              <th scope="col">Your role</th>
            </tr>
          </thead>
          <tbody>
            {sites.value.map((s) => (
              <tr key={s.key}>
                <td>
                  <a href={href('sites', [s.key])}>
                    <bdi>{s.name}</bdi>
                  </a>
                </td>
                <td data-label="Key">
                  <code>{s.key}</code>
                </td>
                <td data-label="Origins">{[...s.environmentOrigins, ...s.origins].join(', ') || '—'}</td>
                <td data-label="Your role">{s.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!sites.value && !problem.value && <p class="loading">Loading…</p>}
    </>
  );
}

/** A 404 from a service without the sites' administration says so, rather than "not found". */
function unavailable(error: unknown): string {
  if (error instanceof ApiError && error.status === 404 && !error.problem.code)
    return 'This service does not offer the administration of sites yet.';
  return problemText(error);
}

function NewSite() {
  const open = useSignal(false);
  const draft = useSignal({ key: '', name: '', origins: '' });
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);
  if (!open.value)
    return (
      <p class="actions">
        <button type="button" aria-expanded="false" onClick={() => (open.value = true)}>
          New site
        </button>
      </p>
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    problem.value = null;
    const d = draft.value;
    try {
      const site = await createSite({ key: d.key.trim(), name: d.name.trim(), origins: lines(d.origins) });
      announcement.value = { text: `The site “${site.name}” is created.` };
      void loadMySites().catch(() => {});
      go(href('sites', [site.key]));
    } catch (error) {
      errors.value = fieldErrors(error);
      problem.value =
        new Fields('new-site', errors.value, SITE_FIELDS).refusal(error, ['key', 'name', 'origins'], 'Not created') ??
        null;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };
  const f = new Fields('new-site', errors.value, SITE_FIELDS);
  const set = (change: Partial<typeof draft.value>) => (draft.value = { ...draft.value, ...change });
  return (
    <form ref={form} class="panel stack" aria-labelledby="new-site" onSubmit={submit} noValidate>
      <h2 id="new-site">New site</h2>
      <label for="new-site-key">Key</label>
      <input
        id="new-site-key"
        required
        autoFocus
        maxLength={40}
        autoComplete="off"
        spellcheck={false}
        value={draft.value.key}
        onInput={(e) => set({ key: e.currentTarget.value })}
        {...f.control('key', 'new-site-key-hint')}
      />
      <p id="new-site-key-hint" class="muted hint">
        Small letters, digits and dashes (“daily-news”): it names the site in the embed and never changes.
      </p>
      {f.message('key')}
      <label for="new-site-name">Name</label>
      <input
        id="new-site-name"
        required
        maxLength={100}
        value={draft.value.name}
        onInput={(e) => set({ name: e.currentTarget.value })}
        {...f.control('name')}
      />
      {f.message('name')}
      <OriginsField form="new-site" value={draft.value.origins} onInput={(origins) => set({ origins })} f={f} />
      <FormFooter
        problem={problem.value}
        busy={busy.value}
        save="Create site"
        onUndo={() => (open.value = false)}
        undo="Cancel"
      />
    </form>
  );
}

function OriginsField(props: { form: string; value: string; onInput: (v: string) => void; f: Fields }) {
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

interface Draft {
  name: string;
  origins: string;
  issuer: string;
  audience: string;
  jwksUrl: string;
  publicKeys: string;
  replaceSecrets: boolean;
  secrets: string;
}

const draftOf = (site: SiteView): Draft => ({
  name: site.name,
  origins: site.origins.join('\n'),
  issuer: site.identity.issuer ?? '',
  audience: site.identity.audience ?? '',
  jwksUrl: site.identity.jwksUrl ?? '',
  publicKeys: (site.identity.publicKeys ?? []).join('\n'),
  replaceSecrets: false,
  secrets: '',
});

const IDENTITY_PARTS = ['issuer', 'audience', 'jwksUrl', 'publicKeys', 'replaceSecrets'] as const;

function SiteEditor({ siteKey, heading }: { siteKey: string; heading: Heading }) {
  const site = useSignal<SiteView | null>(null);
  const draft = useSignal<Draft | null>(null);
  const errors = useSignal<FieldErrors>({});
  const problem = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    getSite(siteKey).then(
      (found) => {
        site.value = found;
        draft.value = draftOf(found);
      },
      (error) => (problem.value = unavailable(error)),
    );
  }, [siteKey]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const d = draft.value;
    const was = site.value;
    if (busy.value || !d || !was) return;
    busy.value = true;
    errors.value = {};
    problem.value = null;
    const before = draftOf(was);
    const identityChanged = IDENTITY_PARTS.some((p) => d[p] !== before[p]);
    // The identity is written whole (what this page does not edit goes back as it came); secrets left out are kept.
    const { signIn, claims, roles } = was.identity;
    const identity: SiteIdentityInput = {
      ...(signIn ? { signIn: { clientId: signIn.clientId, scopes: signIn.scopes } } : {}),
      ...(claims ? { claims } : {}),
      ...(roles ? { roles } : {}),
      ...(d.issuer.trim() ? { issuer: d.issuer.trim() } : {}),
      ...(d.audience.trim() ? { audience: d.audience.trim() } : {}),
      ...(d.jwksUrl.trim() ? { jwksUrl: d.jwksUrl.trim() } : {}),
      ...(pemBlocks(d.publicKeys).length ? { publicKeys: pemBlocks(d.publicKeys) } : {}),
      ...(d.replaceSecrets ? { secrets: lines(d.secrets) } : {}),
    };
    try {
      const saved = await updateSite(siteKey, {
        name: d.name.trim(),
        origins: lines(d.origins),
        ...(identityChanged ? { identity } : {}),
      });
      site.value = saved;
      draft.value = draftOf(saved);
      announcement.value = { text: `The site “${saved.name}” is saved.` };
      void loadMySites().catch(() => {});
    } catch (error) {
      errors.value = fieldErrors(error);
      problem.value =
        new Fields('site', errors.value, SITE_FIELDS).refusal(error, Object.keys(SITE_FIELDS), 'Not saved') ?? null;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const s = site.value;
  const d = draft.value;
  const f = new Fields('site', errors.value, SITE_FIELDS);
  const set = (change: Partial<Draft>) => (draft.value = { ...draft.value!, ...change });
  const secretsSet = s?.identity.secretFingerprints?.length ?? 0;
  return (
    <>
      <p class="muted">
        <a href={href('sites')}>Sites</a> ›
      </p>
      <h1 tabIndex={-1} ref={heading}>
        <bdi>{s?.name ?? siteKey}</bdi>
      </h1>
      {!s && problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {!s && !problem.value && <p class="loading">Loading…</p>}
      {s && d && (
        <>
          <p class="actions">
            <span class="muted">
              Key <code>{s.key}</code>, since {when(s.createdAt)}.
            </span>
            <a href={href('settings', [], { site: s.key })}>Its moderation settings</a>
          </p>
          <form ref={form} class="panel stack" aria-labelledby="site-form" onSubmit={submit} noValidate>
            <h2 id="site-form">Name and origins</h2>
            <label for="site-name">Name</label>
            <input
              id="site-name"
              required
              maxLength={100}
              value={d.name}
              onInput={(e) => set({ name: e.currentTarget.value })}
              {...f.control('name')}
            />
            {f.message('name')}
            <OriginsField form="site" value={d.origins} onInput={(origins) => set({ origins })} f={f} />
            {s.environmentOrigins.length > 0 && (
              <p class="muted">
                Also, from the service’s environment (CORS_ORIGINS): {s.environmentOrigins.join(', ')}.
              </p>
            )}
            <fieldset>
              <legend>Login (identity)</legend>
              <p class="muted hint">
                How the tokens of this site’s readers and staff are checked: HS256 secrets, PEM public keys, a JWKS URL,
                or the issuer’s discovery.
              </p>
              {(
                [
                  ['issuer', 'Issuer', 'url'],
                  ['audience', 'Audience', 'text'],
                  ['jwksUrl', 'JWKS URL', 'url'],
                ] as const
              ).map(([name, label, type]) => (
                <>
                  <label for={`site-identity-${name}`}>{label}</label>
                  <input
                    id={`site-identity-${name}`}
                    type={type}
                    spellcheck={false}
                    value={d[name]}
                    onInput={(e) => set({ [name]: e.currentTarget.value })}
                    {...f.control(`identity.${name}`)}
                  />
                  {f.message(`identity.${name}`)}
                </>
              ))}
              <label for="site-identity-publicKeys">Public keys (PEM)</label>
              <textarea
                id="site-identity-publicKeys"
                rows={4}
                spellcheck={false}
                class="mono"
                value={d.publicKeys}
                onInput={(e) => set({ publicKeys: e.currentTarget.value })}
                {...f.control('identity.publicKeys', 'site-identity-publicKeys-hint')}
              />
              <p id="site-identity-publicKeys-hint" class="muted hint">
                Each from its BEGIN line to its END line; several while keys are rotated.
              </p>
              {f.message('identity.publicKeys')}
              <p id="site-secrets-state">
                <strong>HS256 secrets:</strong>{' '}
                {secretsSet === 0 ? 'none set' : `${count(secretsSet, 'secret', 'secrets')} set`}
                {secretsSet > 0 && (
                  <span class="muted">
                    {' '}
                    ({s.identity.secretFingerprints!.map((p) => `…${p.slice(-6)}`).join(', ')})
                  </span>
                )}
                . Secrets are never shown again.
              </p>
              <label class="check">
                <input
                  type="checkbox"
                  checked={d.replaceSecrets}
                  aria-describedby="site-secrets-state"
                  onChange={(e) => set({ replaceSecrets: e.currentTarget.checked })}
                />{' '}
                Replace the secrets
              </label>
              {d.replaceSecrets && (
                <>
                  <label for="site-identity-secrets">New secrets, one a line (none: no secret)</label>
                  <textarea
                    id="site-identity-secrets"
                    rows={2}
                    spellcheck={false}
                    autoComplete="off"
                    class="mono"
                    value={d.secrets}
                    onInput={(e) => set({ secrets: e.currentTarget.value })}
                    {...f.control('identity.secrets')}
                  />
                  {f.message('identity.secrets')}
                </>
              )}
              {f.message('identity')}
            </fieldset>
            <FormFooter
              problem={problem.value}
              busy={busy.value}
              save="Save site"
              onUndo={JSON.stringify(d) !== JSON.stringify(draftOf(s)) ? () => (draft.value = draftOf(s)) : undefined}
            />
          </form>
          <Members siteKey={s.key} />
        </>
      )}
    </>
  );
}

function Members({ siteKey }: { siteKey: string }) {
  const members = useSignal<MemberView[] | null>(null);
  const problem = useSignal<string | null>(null);
  const draft = useSignal<{ userSite: string; sub: string; role: SiteRole }>({
    userSite: 'default',
    sub: '',
    role: 'moderator',
  });
  const errors = useSignal<FieldErrors>({});
  const refusal = useSignal<string | null>(null);
  const busy = useSignal(false);
  const form = useRef<HTMLFormElement>(null);

  const reload = () =>
    listMembers(siteKey).then(
      (found) => (members.value = found.items),
      (error) => (problem.value = problemText(error)),
    );
  useEffect(() => void reload(), [siteKey]);

  const grant = async (event: Event) => {
    event.preventDefault();
    if (busy.value) return;
    busy.value = true;
    errors.value = {};
    refusal.value = null;
    const d = draft.value;
    try {
      const member = await grantRole(siteKey, { userSite: d.userSite.trim(), sub: d.sub.trim(), role: d.role });
      announcement.value = {
        text: `${member.name ?? member.userId} is now ${d.role === 'admin' ? 'an admin' : 'a moderator'} here.`,
      };
      draft.value = { ...d, sub: '' };
      await reload();
    } catch (error) {
      errors.value = fieldErrors(error);
      refusal.value =
        new Fields('grant', errors.value, MEMBER_FIELDS).refusal(error, Object.keys(MEMBER_FIELDS), 'Not granted') ??
        null;
      focusFirstInvalid(form.current);
    } finally {
      busy.value = false;
    }
  };

  const revoke = async (member: MemberView) => {
    try {
      await revokeRole(siteKey, member.userId);
      announcement.value = { text: `${member.name ?? member.userId} no longer holds a role here.` };
      await reload();
    } catch (error) {
      announcement.value = { text: `Not revoked: ${problemText(error)}` };
    }
  };

  const f = new Fields('grant', errors.value, MEMBER_FIELDS);
  const set = (change: Partial<typeof draft.value>) => (draft.value = { ...draft.value, ...change });
  return (
    <section class="panel" aria-labelledby="members">
      <h2 id="members">Members</h2>
      {problem.value && (
        <p class="error" role="alert">
          {problem.value}
        </p>
      )}
      {members.value?.length === 0 && <p class="muted">No role granted here yet, besides those of its own login.</p>}
      {members.value && members.value.length > 0 && (
        <table class="stacked">
          <caption class="visually-hidden">Roles granted on this site</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Their site</th>
              <th scope="col">Role</th>
              <th scope="col">Granted</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.value.map((m) => (
              <tr key={m.userId}>
                <td>
                  <bdi>{m.name ?? m.userId}</bdi>
                  {m.name && <div class="muted">{m.userId}</div>}
                </td>
                <td data-label="Their site">
                  <code>{m.userSite}</code>
                </td>
                <td data-label="Role">{m.role}</td>
                <td data-label="Granted">
                  {when(m.grantedAt)}
                  {m.grantedBy && <> by {m.grantedBy}</>}
                </td>
                <td>
                  <button
                    type="button"
                    class="quiet"
                    onClick={() => revoke(m)}
                    aria-label={`Revoke ${m.name ?? m.userId}’s role`}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form ref={form} class="stack" aria-labelledby="grant" onSubmit={grant} noValidate>
        <h3 id="grant">Grant a role</h3>
        <label for="grant-userSite">User’s site (the key of the site whose login they use)</label>
        <input
          id="grant-userSite"
          required
          maxLength={40}
          spellcheck={false}
          value={draft.value.userSite}
          onInput={(e) => set({ userSite: e.currentTarget.value })}
          {...f.control('userSite')}
        />
        {f.message('userSite')}
        <label for="grant-sub">User id (as their login names them)</label>
        <input
          id="grant-sub"
          required
          maxLength={200}
          spellcheck={false}
          value={draft.value.sub}
          onInput={(e) => set({ sub: e.currentTarget.value })}
          {...f.control('sub')}
        />
        {f.message('sub')}
        <label for="grant-role">Role</label>
        <select
          id="grant-role"
          value={draft.value.role}
          onChange={(e) => set({ role: e.currentTarget.value as SiteRole })}
          {...f.control('role')}
        >
          <option value="moderator">Moderator</option>
          <option value="admin">Admin</option>
        </select>
        {f.message('role')}
        <FormFooter problem={refusal.value} busy={busy.value} save="Grant" />
      </form>
    </section>
  );
}
