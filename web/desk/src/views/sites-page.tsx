import { usePageHeading } from '../page-heading';
import { route } from '../router';
import { isAdminHere } from '../site-choice';
import { SiteEditor } from './site-editor';
import { SiteList } from './site-list';

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

export type Heading = ReturnType<typeof usePageHeading>;
