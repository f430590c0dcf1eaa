import type { SiteIdentityInput, SiteView } from '../api/sites';
import { lines } from './site-fields';

/** A site's form model: its fields as typed, and the identity they send. */

/** PEM blocks, each from its BEGIN line to its END line. */
const pemBlocks = (text: string) => text.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g) ?? [];

export interface Draft {
  name: string;
  origins: string;
  issuer: string;
  audience: string;
  jwksUrl: string;
  publicKeys: string;
  replaceSecrets: boolean;
  secrets: string;
  emailLinks: boolean;
}

export const draftOf = (site: SiteView): Draft => ({
  name: site.name,
  origins: site.origins.join('\n'),
  issuer: site.identity.issuer ?? '',
  audience: site.identity.audience ?? '',
  jwksUrl: site.identity.jwksUrl ?? '',
  publicKeys: (site.identity.publicKeys ?? []).join('\n'),
  replaceSecrets: false,
  secrets: '',
  emailLinks: site.identity.emailLinks === true,
});

const IDENTITY_PARTS = ['issuer', 'audience', 'jwksUrl', 'publicKeys', 'replaceSecrets', 'emailLinks'] as const;

/** Whether the draft changes the site's identity (else the identity is not sent). */
export const identityChanged = (d: Draft, was: SiteView) => {
  const before = draftOf(was);
  return IDENTITY_PARTS.some((p) => d[p] !== before[p]);
};

/** The identity is written whole (what this page does not edit goes back as it came); secrets left out are kept. */
export function identityOf(d: Draft, was: SiteView): SiteIdentityInput {
  const { signIn, claims, roles } = was.identity;
  return {
    ...(signIn ? { signIn: { clientId: signIn.clientId, scopes: signIn.scopes } } : {}),
    ...(claims ? { claims } : {}),
    ...(roles ? { roles } : {}),
    ...(d.issuer.trim() ? { issuer: d.issuer.trim() } : {}),
    ...(d.audience.trim() ? { audience: d.audience.trim() } : {}),
    ...(d.jwksUrl.trim() ? { jwksUrl: d.jwksUrl.trim() } : {}),
    ...(pemBlocks(d.publicKeys).length ? { publicKeys: pemBlocks(d.publicKeys) } : {}),
    ...(d.replaceSecrets ? { secrets: lines(d.secrets) } : {}),
    ...(d.emailLinks ? { emailLinks: true } : {}),
  };
}
