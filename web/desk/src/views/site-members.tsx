import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { grantRole, listMembers, revokeRole, type MemberView, type SiteRole } from '../api/sites';
import { announcement } from '../decisions';
import { when } from '../format';
import { Fields, FormFooter, fieldErrors, focusFirstInvalid, problemText, type FieldErrors } from '../forms';

/** The fields of a grant in the API's messages. */
const MEMBER_FIELDS = { userSite: { label: 'User’s site' }, sub: { label: 'User id' }, role: { label: 'Role' } };

/** Who holds a role on the site, with the revoking of it and the granting of a new one. */
export function Members({ siteKey }: { siteKey: string }) {
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
