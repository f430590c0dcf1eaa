import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { listSites, type SiteView } from '../api/sites';
import { href } from '../router';
import { NewSite } from './new-site';
import { unavailable } from './site-fields';
import type { Heading } from './sites-page';

/** The sites the user administers or moderates, and for the organisation's admins the making of a new one. */
export function SiteList({ heading }: { heading: Heading }) {
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
