import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import type { AdminKeyView } from '../api/types';
import { actorText, formatTime } from '../components/format';
import { Badge, ConfirmDialog, Dialog, Empty, ErrorNote, Loading, PageHeading, SecretOnce } from '../components/ui';
import { useLoad } from '../components/use-load';
import { useSession, useWorkspacePath } from '../session';

/** Settings → Admin keys: who may administer the workspace (a key's description names its admin). */
export function AdminKeys() {
  const path = useWorkspacePath();
  const { session } = useSession();
  const keys = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/admin-keys', { params: { path } })), path.slug);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<AdminKeyView | null>(null);

  return (
    <>
      <PageHeading trail={['Settings']} title="Admin keys">
        <p className="lead">Admin keys (adm_…) sign admins in to this console and authenticate the admin API. The description names the admin: it is shown with every action they take.</p>
      </PageHeading>
      <div className="actions">
        <button type="button" onClick={() => setCreating(true)}>
          Create admin key
        </button>
      </div>
      <CreateAdminKeyDialog
        open={creating}
        onClose={() => {
          setCreating(false);
          keys.reload();
        }}
      />
      <ErrorNote error={keys.error} />
      {keys.data ? (
        keys.data.items.length === 0 ? (
          <Empty>No admin keys.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="cards">
              <caption>Admin keys</caption>
              <thead>
                <tr>
                  <th scope="col">Prefix</th>
                  <th scope="col">Description</th>
                  <th scope="col">Created by</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.items.map((key) => (
                  <tr key={key.id}>
                    <td className="card-title mono">
                      {key.prefix}
                      {key.id === session.admin.keyId ? <span className="muted"> (yours)</span> : null}
                    </td>
                    <td data-label="Description">{key.description ?? '—'}</td>
                    <td data-label="Created by">{actorText(key.createdBy, keys.data?.items.find((other) => `admin:${other.prefix}` === key.createdBy)?.description ?? null)}</td>
                    <td data-label="Created" className="time">{formatTime(key.createdAt)}</td>
                    <td data-label="Last used" className="time">{key.lastUsedAt ? formatTime(key.lastUsedAt) : 'Never'}</td>
                    <td data-label="State">{key.state === 'active' ? <Badge kind="ok">Active</Badge> : <Badge kind="off">Revoked</Badge>}</td>
                    <td>
                      {key.state === 'active' ? (
                        <button type="button" className="danger small" aria-label={`Revoke admin key ${key.prefix}`} onClick={() => setRevoking(key)}>
                          Revoke
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : keys.error ? null : (
        <Loading />
      )}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this admin key?"
        confirmLabel="Revoke admin key"
        onCancel={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await dataOf(api.DELETE('/api/v1/workspaces/{slug}/admin-keys/{id}', { params: { path: { ...path, id: revoking.id } } }));
          setRevoking(null);
          keys.reload();
        }}
      >
        <p>
          <code className="mono">{revoking?.prefix}</code>
          {revoking?.description ? ` (${revoking.description})` : ''} stops working on its next request, and its console sessions end.
          {revoking?.id === session.admin.keyId ? ' This is the key you signed in with: you will be signed out.' : ''}
        </p>
      </ConfirmDialog>
    </>
  );
}

function CreateAdminKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const path = useWorkspacePath();
  const [key, setKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    setKey(null);
    setError(null);
    setBusy(false);
    onClose();
  };
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const description = String(new FormData(event.currentTarget).get('description') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const created = await dataOf(api.POST('/api/v1/workspaces/{slug}/admin-keys', { params: { path }, body: { description } }));
      setKey(created.key);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title={key ? 'Your new admin key' : 'Create admin key'} onClose={close}>
      {key ? (
        <>
          <SecretOnce label="Admin key" value={key} copyLabel="Copy admin key" warning="This key will not be shown again. Hand it to its admin now; if it is lost, revoke it and create another." />
          <div className="actions">
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <div className="field">
            <label htmlFor="admin-key-description">Admin’s name</label>
            <input id="admin-key-description" name="description" required maxLength={200} placeholder="e.g. Dana Scully (IT)" aria-describedby="admin-key-description-hint" />
            <p className="hint" id="admin-key-description-hint">
              The key’s description: the console and the audit log show it as the admin who acted.
            </p>
          </div>
          <ErrorNote error={error} />
          <div className="actions">
            <button type="button" className="secondary" onClick={close}>
              Cancel
            </button>
            <button type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create key'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
