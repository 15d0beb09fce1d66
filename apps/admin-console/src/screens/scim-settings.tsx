import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import type { components } from '../api/schema';
import type { ScimConnectionView } from '../api/types';
import { actorText, dialectText, formatTime, withLocalTimes } from '../components/format';
import { Badge, ConfirmDialog, CopyButton, Dialog, Empty, ErrorNote, Loading, PageHeading, SecretOnce } from '../components/ui';
import { useAdminNames } from '../components/use-admin-names';
import { LIVE_INTERVAL_MS, useLoad } from '../components/use-load';
import { useWorkspacePath } from '../session';

type ScimToken = components['schemas']['ScimTokenView'];
type CreatedToken = components['schemas']['CreatedScimToken'];

const STEP_NAMES: Record<ScimConnectionView['checklist'][number]['step'], string> = {
  token: 'Generate a bearer token',
  testConnection: 'Test connection reached AxisSynapse',
  pilotUsers: 'Pilot users landed',
  scopeOpened: 'Scope opened to the rest of the directory',
};

/** Settings → Identity → SCIM: endpoint, Generate token, tokens, connection panel, pilot checklist. */
export function ScimSettings() {
  const path = useWorkspacePath();
  const workspace = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}', { params: { path } })), path.slug);
  const tokens = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/scim-tokens', { params: { path } })), path.slug, { pollMs: LIVE_INTERVAL_MS });
  const connection = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/scim-connection', { params: { path } })), path.slug, { pollMs: LIVE_INTERVAL_MS });
  const adminName = useAdminNames();
  const [generating, setGenerating] = useState(false);
  const [revoking, setRevoking] = useState<ScimToken | null>(null);

  const endpointUrl = connection.data?.scimBaseUrl ?? workspace.data?.scimEndpointUrl;

  return (
    <>
      <PageHeading trail={['Settings', 'Identity']} title="SCIM">
        <p className="lead">Connect your identity provider: paste the endpoint URL and a bearer token into its SCIM connector, run a pilot group, then open the scope.</p>
      </PageHeading>

      <section aria-labelledby="endpoint-title" className="panel">
        <h2 id="endpoint-title">SCIM endpoint URL</h2>
        {endpointUrl ? (
          <div className="copy-row">
            <code className="mono url" data-testid="scim-endpoint-url">
              {endpointUrl}
            </code>
            <CopyButton value={endpointUrl} label="Copy endpoint URL" />
          </div>
        ) : workspace.error && connection.error ? (
          <ErrorNote error={workspace.error} />
        ) : (
          <Loading />
        )}
        <div className="actions">
          <button type="button" onClick={() => setGenerating(true)}>
            Generate token
          </button>
        </div>
      </section>

      <GenerateTokenDialog
        open={generating}
        onCreated={() => {
          // The list and the checklist behind the dialog already show the new token.
          tokens.reload();
          connection.reload();
        }}
        onClose={() => {
          setGenerating(false);
          tokens.reload();
          connection.reload();
        }}
      />

      <section aria-labelledby="connection-title" className="panel">
        <h2 id="connection-title">Connection</h2>
        <ConnectionPanel loaded={connection} />
      </section>

      <section aria-labelledby="checklist-title" className="panel">
        <h2 id="checklist-title">Pilot checklist</h2>
        {connection.data ? (
          <ol className="checklist">
            {connection.data.checklist.map((item) => (
              <li key={item.step} className={item.done ? 'done' : 'todo'}>
                <span className="tick" aria-hidden="true">
                  {item.done ? '✓' : '○'}
                </span>
                <span>
                  <strong>{STEP_NAMES[item.step] ?? item.step}</strong> — <span className="state">{item.done ? 'Done' : 'Not yet'}</span>
                  <br />
                  <span className="muted">{withLocalTimes(item.detail)}</span>
                </span>
              </li>
            ))}
          </ol>
        ) : connection.error ? (
          <ErrorNote error={connection.error} />
        ) : (
          <Loading />
        )}
      </section>

      <ProvisioningSettings />

      <section aria-labelledby="tokens-title" className="panel">
        <h2 id="tokens-title">Tokens</h2>
        <ErrorNote error={tokens.error} />
        {tokens.data ? (
          tokens.data.items.length === 0 ? (
            <Empty>No token yet. Generate one to connect your identity provider.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="cards">
                <caption>SCIM tokens</caption>
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
                  {tokens.data.items.map((token) => (
                    <tr key={token.id}>
                      <td className="mono card-title">{token.prefix}</td>
                      <td data-label="Description">{token.description ?? '—'}</td>
                      <td data-label="Created by">{actorText(token.createdBy, adminName(token.createdBy))}</td>
                      <td className="time" data-label="Created">
                        {formatTime(token.createdAt)}
                      </td>
                      <td className="time" data-label="Last used">
                        {token.lastUsedAt ? formatTime(token.lastUsedAt) : 'Never'}
                      </td>
                      <td data-label="State">{token.revokedAt ? <Badge kind="off">Revoked</Badge> : <Badge kind="ok">Active</Badge>}</td>
                      <td>
                        {token.revokedAt ? null : (
                          <button type="button" className="danger small" aria-label={`Revoke token ${token.prefix}`} onClick={() => setRevoking(token)}>
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : tokens.error ? null : (
          <Loading />
        )}
      </section>

      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        onCancel={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await dataOf(api.DELETE('/api/v1/workspaces/{slug}/scim-tokens/{id}', { params: { path: { ...path, id: revoking.id } } }));
          setRevoking(null);
          tokens.reload();
          connection.reload();
        }}
      >
        <p>
          The identity provider using <code className="mono">{revoking?.prefix}</code>
          {revoking?.description ? ` (${revoking.description})` : ''} is refused from its next request (SCIM_UNAUTHORIZED). This cannot be undone: generate a new token and paste it
          into the connector.
        </p>
      </ConfirmDialog>
    </>
  );
}

type ScimSettingsView = components['schemas']['ScimSettingsDto'];

/** One checkbox of the workspace's SCIM settings, in a panel of its own. */
interface ScimSettingText {
  setting: keyof ScimSettingsView;
  id: string;
  panel: string;
  label: string;
  /** The one-line explanation, for the value shown (checked, unchecked). */
  explains: Record<'on' | 'off', string>;
}

const SCIM_SETTINGS: readonly ScimSettingText[] = [
  {
    // Whether the identity provider's first sync takes over a local account with the same email (the
    // documented default), or is refused as SCIM_USER_CONFLICT until an admin merges the pair.
    setting: 'autoMergeLocalAccounts',
    id: 'auto-merge',
    panel: 'Local accounts',
    label: 'Merge local accounts automatically',
    explains: {
      on: 'On the first sync, a SCIM user takes over the local account with the same email; the identity provider then manages it.',
      off: 'A SCIM user with the email of a local account is refused (SCIM_USER_CONFLICT) until an admin merges the pair in Settings → Members.',
    },
  },
  {
    // Identity providers re-send attributes nobody mapped on every sync: ignored by default.
    setting: 'rejectUnknownAttributes',
    id: 'reject-unknown',
    panel: 'Unknown attributes',
    label: 'Refuse unknown attributes',
    explains: {
      on: 'A user or group request naming an attribute this workspace does not define is refused (400 invalidPath, SCIM_INVALID_PATH) and nothing of it is stored.',
      off: 'Attributes this workspace does not define are ignored and listed in the Security Console; the rest of the request is applied.',
    },
  },
];

/**
 * The workspace's SCIM settings, one panel per setting. Each panel saves only its own setting (the
 * API keeps the others), and shows what the API answered, which holds every setting.
 */
function ProvisioningSettings() {
  const path = useWorkspacePath();
  const settings = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/scim-settings', { params: { path } })), path.slug);
  const [answered, setAnswered] = useState<ScimSettingsView | null>(null);
  const stored = answered ?? settings.data;
  return (
    <>
      {SCIM_SETTINGS.map((text) => (
        <section key={text.setting} aria-labelledby={`${text.id}-title`} className="panel">
          <h2 id={`${text.id}-title`}>{text.panel}</h2>
          {stored ? <ScimSettingForm text={text} stored={stored} onSaved={setAnswered} /> : settings.error ? <ErrorNote error={settings.error} /> : <Loading />}
        </section>
      ))}
    </>
  );
}

function ScimSettingForm({ text, stored, onSaved }: { text: ScimSettingText; stored: ScimSettingsView; onSaved: (settings: ScimSettingsView) => void }) {
  const path = useWorkspacePath();
  const [choice, setChoice] = useState<boolean | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const current = stored[text.setting];
  const chosen = choice ?? current;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      onSaved(await dataOf(api.PUT('/api/v1/workspaces/{slug}/scim-settings', { params: { path }, body: { [text.setting]: chosen } })));
      setChoice(null);
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(event) => void save(event)}>
      <div className="field checkbox">
        <input
          id={text.id}
          type="checkbox"
          checked={chosen}
          aria-describedby={`${text.id}-help`}
          onChange={(event) => {
            setChoice(event.target.checked);
            setSaved(false);
          }}
        />
        <label htmlFor={text.id}>{text.label}</label>
      </div>
      <p id={`${text.id}-help`} className="muted">
        {chosen ? text.explains.on : text.explains.off}
      </p>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" disabled={saving || chosen === current}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <span role="status" className="muted">
          {saved && chosen === current ? 'Saved.' : ''}
        </span>
      </div>
    </form>
  );
}

function ConnectionPanel({ loaded }: { loaded: { data: ScimConnectionView | undefined; error: unknown } }) {
  const { data, error } = loaded;
  if (!data) return error ? <ErrorNote error={error} /> : <Loading />;
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Last call from the identity provider</dt>
          <dd>{data.lastRequestAt ? formatTime(data.lastRequestAt) : 'Never'}</dd>
        </div>
        <div>
          <dt>Identity provider (detected)</dt>
          <dd>{dialectText(data.lastDialect)}</dd>
        </div>
        <div>
          <dt>Requests, last 24 h</dt>
          <dd>{data.requestsLast24h ?? 'Not recorded'}</dd>
        </div>
        <div>
          <dt>Rejections, last 24 h</dt>
          <dd>{data.rejectionsLast24h}</dd>
        </div>
        <div>
          <dt>Users provisioned</dt>
          <dd>{data.usersProvisioned}</dd>
        </div>
        <div>
          <dt>Groups provisioned</dt>
          <dd>{data.groupsProvisioned}</dd>
        </div>
        <div>
          <dt>Active tokens</dt>
          <dd>{data.activeTokens}</dd>
        </div>
      </dl>
      <p className="muted">
        Did the Test connection reach us? If “Last call” stays at Never after you clicked it, check the endpoint URL and the token, then look in the SCIM request log.
      </p>
    </>
  );
}

/** Generate token: a description, then the token shown once. Closing the dialog drops it. */
function GenerateTokenDialog({ open, onCreated, onClose }: { open: boolean; onCreated: () => void; onClose: () => void }) {
  const path = useWorkspacePath();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const close = () => {
    setCreated(null);
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
      setCreated(await dataOf(api.POST('/api/v1/workspaces/{slug}/scim-tokens', { params: { path }, body: description ? { description } : {} })));
      onCreated();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title={created ? 'Your new SCIM token' : 'Generate token'} onClose={close}>
      {created ? (
        <>
          <div className="secret">
            <label htmlFor="new-token-endpoint">SCIM endpoint URL</label>
            <input id="new-token-endpoint" className="mono" readOnly value={created.scimEndpointUrl} onFocus={(event) => event.currentTarget.select()} />
            <div className="actions-inline">
              <CopyButton value={created.scimEndpointUrl} label="Copy endpoint URL" />
            </div>
          </div>
          <SecretOnce
            label="Bearer token"
            value={created.token}
            copyLabel="Copy token"
            warning="This token will not be shown again. Copy it now into your identity provider’s connector; if you lose it, revoke it and generate a new one."
          />
          <div className="actions">
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <div className="field">
            <label htmlFor="token-description">Description</label>
            <input id="token-description" name="description" maxLength={200} placeholder="e.g. Entra ID production" aria-describedby="token-description-hint" />
            <p className="hint" id="token-description-hint">
              Optional: names the token in the list (which IdP connector uses it).
            </p>
          </div>
          <ErrorNote error={error} />
          <div className="actions">
            <button type="button" className="secondary" onClick={close}>
              Cancel
            </button>
            <button type="submit" disabled={busy}>
              {busy ? 'Generating…' : 'Generate'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
