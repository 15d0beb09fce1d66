import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import type { components } from '../api/schema';
import { actorText, formatTime } from '../components/format';
import { ConfirmDialog, Empty, ErrorNote, Loading, PageHeading } from '../components/ui';
import { useAdminNames } from '../components/use-admin-names';
import { useLoad } from '../components/use-load';
import { useWorkspacePath } from '../session';

type Mapping = components['schemas']['RoleMappingView'];

function rolesOf(text: string): string[] {
  return [...new Set(text.split(',').map((role) => role.trim()).filter(Boolean))];
}

/** Settings → Role mappings: which product roles a group grants its members. */
export function RoleMappings() {
  const path = useWorkspacePath();
  const adminName = useAdminNames();
  const list = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/role-mappings', { params: { path } })), path.slug);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [groupId, setGroupId] = useState('');
  const [roles, setRoles] = useState('');
  const [removing, setRemoving] = useState<Mapping | null>(null);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const result = await dataOf(api.PUT('/api/v1/workspaces/{slug}/role-mappings/{groupId}', { params: { path: { ...path, groupId: groupId.trim() } }, body: { roles: rolesOf(roles) } }));
      setSaved(`The group now grants: ${result.roles.join(', ') || 'no role'}.`);
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading trail={['Settings']} title="Role mappings">
        <p className="lead">Members get the roles of every group they are in. A member who loses an elevated role (admin, owner) is signed out.</p>
      </PageHeading>
      <section aria-labelledby="map-title" className="panel">
        <h2 id="map-title">Map a group to roles</h2>
        <form className="filters" onSubmit={(event) => void save(event)}>
          <div className="field">
            <label htmlFor="map-group">Group id</label>
            <input id="map-group" required value={groupId} onChange={(event) => setGroupId(event.target.value)} className="mono" aria-describedby="map-group-hint" />
            <p className="hint" id="map-group-hint">
              The SCIM group’s id (shown on a member’s page and in the SCIM request log).
            </p>
          </div>
          <div className="field">
            <label htmlFor="map-roles">Roles</label>
            <input id="map-roles" value={roles} onChange={(event) => setRoles(event.target.value)} placeholder="e.g. admin, billing" aria-describedby="map-roles-hint" />
            <p className="hint" id="map-roles-hint">
              Comma-separated; empty removes every role.
            </p>
          </div>
          <div className="filter-actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save mapping'}
            </button>
          </div>
        </form>
        <ErrorNote error={error} />
        {saved ? (
          <p className="note note-info" role="status">
            {saved}
          </p>
        ) : null}
      </section>
      <ErrorNote error={list.error} />
      {list.data ? (
        list.data.items.length === 0 ? (
          <Empty>No group grants a role yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="cards">
              <caption>Groups that grant roles</caption>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Changed</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((mapping) => (
                  <tr key={mapping.groupId}>
                    <td className="card-title">
                      {mapping.displayName ?? '—'}
                      <br />
                      <span className="mono muted small-text">{mapping.groupId}</span>
                    </td>
                    <td data-label="Roles">{mapping.roles.join(', ') || '—'}</td>
                    <td data-label="Changed">
                      {formatTime(mapping.updatedAt)}
                      <br />
                      <span className="muted">{actorText(mapping.updatedBy, adminName(mapping.updatedBy))}</span>
                    </td>
                    <td className="nowrap">
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={`Edit roles of ${mapping.displayName ?? mapping.groupId}`}
                        onClick={() => {
                          setGroupId(mapping.groupId);
                          setRoles(mapping.roles.join(', '));
                          document.getElementById('map-roles')?.focus();
                        }}
                      >
                        Edit
                      </button>{' '}
                      <button type="button" className="danger small" aria-label={`Remove mapping of ${mapping.displayName ?? mapping.groupId}`} onClick={() => setRemoving(mapping)}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : list.error ? null : (
        <Loading />
      )}
      <ConfirmDialog
        open={removing !== null}
        title="Remove this role mapping?"
        confirmLabel="Remove mapping"
        onCancel={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await dataOf(api.DELETE('/api/v1/workspaces/{slug}/role-mappings/{groupId}', { params: { path: { ...path, groupId: removing.groupId } } }));
          setRemoving(null);
          list.reload();
        }}
      >
        <p>
          Members of {removing?.displayName ?? removing?.groupId} lose the roles {removing?.roles.join(', ')} (unless another group grants them); members losing an elevated role are
          signed out.
        </p>
      </ConfirmDialog>
    </>
  );
}
