import type { SiteView } from '../api/sites';
import { count } from '../format';
import type { Fields } from '../forms';
import { mailStatus } from '../mail-status';
import type { Draft } from './site-draft';

/** The site's login (identity): how its readers' and staff's tokens are checked, and its HS256 secrets, never shown. */
export function IdentityFields({
  site: s,
  draft: d,
  set,
  f,
}: {
  site: SiteView;
  draft: Draft;
  set: (change: Partial<Draft>) => void;
  f: Fields;
}) {
  const secretsSet = s.identity.secretFingerprints?.length ?? 0;
  return (
    <fieldset>
      <legend>Login (identity)</legend>
      <p class="muted hint">
        How the tokens of this site’s readers and staff are checked: HS256 secrets, PEM public keys, a JWKS URL, or the
        issuer’s discovery.
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
          <span class="muted"> ({s.identity.secretFingerprints!.map((p) => `…${p.slice(-6)}`).join(', ')})</span>
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
      {(mailStatus.value?.sending || d.emailLinks) && (
        <>
          <label class="check">
            <input
              type="checkbox"
              checked={d.emailLinks}
              onChange={(e) => set({ emailLinks: e.currentTarget.checked })}
              {...f.control('identity.emailLinks', 'site-identity-emailLinks-hint')}
            />{' '}
            Readers may sign in by an emailed link
          </label>
          <p id="site-identity-emailLinks-hint" class="muted hint">
            For a site without a login of its own: the embed, with sign-in="email", asks for an address and emails a
            link that works once, for 15 minutes.
          </p>
          {f.message('identity.emailLinks')}
        </>
      )}
      {f.message('identity')}
    </fieldset>
  );
}
