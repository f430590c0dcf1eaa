import { route } from '../router';
import { ALL_SITES, chooseSite, mySites, oneSite, siteChoice } from '../site-choice';

/** Pages that can show every site at once ("All my sites"); the others act on one site. */
const SPANS_SITES = new Set(['queue', 'search']);

/** The header's choice of site: the sites this moderator holds a role on, and for the queues all of them. */
export function SiteSwitcher() {
  const sites = mySites.value;
  if (!sites || sites.length === 0) return null;
  if (sites.length === 1)
    return (
      <span class="site-name">
        <span class="visually-hidden">Site: </span>
        <bdi>{sites[0].name}</bdi>
      </span>
    );
  const spans = SPANS_SITES.has(route.value.page);
  return (
    <span class="site-switcher">
      <label for="site-switcher" class="visually-hidden">
        Site
      </label>
      <select
        id="site-switcher"
        value={(spans ? siteChoice.value : oneSite.value) ?? ''}
        onChange={(e) => chooseSite(e.currentTarget.value)}
      >
        {spans && <option value={ALL_SITES}>All my sites</option>}
        {sites.map((s) => (
          <option value={s.key}>
            {s.name}
            {s.role === 'admin' ? ' (admin)' : ''}
          </option>
        ))}
      </select>
    </span>
  );
}
