import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import type { CreatedWebhookView, WebhookView } from '../api/types';
import { formatTime } from '../components/format';
import { Badge, ConfirmDialog, Dialog, Empty, ErrorNote, Loading, PageHeading, SecretOnce } from '../components/ui';
import { LIVE_INTERVAL_MS, useLoad } from '../components/use-load';
import { useWorkspacePath } from '../session';

/** Settings → Webhooks: endpoints (secret shown once), enable/disable, recent deliveries with Retry. */
export function Webhooks() {
  const path = useWorkspacePath();
  const list = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/webhooks', { params: { path } })), path.slug, { pollMs: LIVE_INTERVAL_MS * 2 });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedWebhookView | null>(null);
  const [disabling, setDisabling] = useState<WebhookView | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [showing, setShowing] = useState<string | null>(null);

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const eventTypes = String(fields.get('eventTypes') ?? '')
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean);
    const description = String(fields.get('description') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const webhook = await dataOf(
        api.POST('/api/v1/workspaces/{slug}/webhooks', { params: { path }, body: { url: String(fields.get('url') ?? '').trim(), eventTypes, ...(description ? { description } : {}) } }),
      );
      setCreated(webhook);
      form.reset();
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const setEnabled = async (webhook: WebhookView, enabled: boolean) => {
    setActionError(null);
    await dataOf(api.PATCH('/api/v1/workspaces/{slug}/webhooks/{id}', { params: { path: { ...path, id: webhook.id } }, body: { enabled } }));
    list.reload();
  };

  return (
    <>
      <PageHeading trail={['Settings']} title="Webhooks">
        <p className="lead">Signed HTTP callbacks (Standard Webhooks) for provisioning events, e.g. platform.scim.*.</p>
      </PageHeading>
      <section aria-labelledby="add-webhook-title" className="panel">
        <h2 id="add-webhook-title">Add a webhook endpoint</h2>
        <form className="filters" onSubmit={(event) => void add(event)}>
          <div className="field wide">
            <label htmlFor="webhook-url">Endpoint URL</label>
            <input id="webhook-url" name="url" type="url" required placeholder="https://example.com/hooks/axis" />
          </div>
          <div className="field">
            <label htmlFor="webhook-events">Event types</label>
            <input id="webhook-events" name="eventTypes" required defaultValue="platform.scim.*" aria-describedby="webhook-events-hint" />
            <p className="hint" id="webhook-events-hint">
              Comma-separated patterns.
            </p>
          </div>
          <div className="field">
            <label htmlFor="webhook-description">Description</label>
            <input id="webhook-description" name="description" maxLength={500} />
          </div>
          <div className="filter-actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Adding…' : 'Add endpoint'}
            </button>
          </div>
        </form>
        <ErrorNote error={error} />
      </section>

      <Dialog open={created !== null} title="Webhook endpoint added" onClose={() => setCreated(null)}>
        {created ? (
          <>
            <p>
              Deliveries to <span className="mono">{created.url}</span> are signed with this secret.
            </p>
            <SecretOnce label="Signing secret" value={created.secret} copyLabel="Copy signing secret" warning="This secret will not be shown again. Store it with the receiving service now." />
            <div className="actions">
              <button type="button" onClick={() => setCreated(null)}>
                Close
              </button>
            </div>
          </>
        ) : null}
      </Dialog>

      <ErrorNote error={list.error} />
      <ErrorNote error={actionError} />
      {list.data ? (
        list.data.length === 0 ? (
          <Empty>No webhook endpoint yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="cards">
              <caption>Webhook endpoints</caption>
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Event types</th>
                  <th scope="col">State</th>
                  <th scope="col">Failures in a row</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((webhook) => (
                  <tr key={webhook.id}>
                    <td className="card-title">
                      <span className="mono">{webhook.url}</span>
                      {webhook.description ? <div className="muted">{webhook.description}</div> : null}
                    </td>
                    <td data-label="Event types" className="mono">{webhook.eventTypes.join(', ')}</td>
                    <td data-label="State">
                      {webhook.enabled ? <Badge kind="ok">Enabled</Badge> : <Badge kind="off">Disabled</Badge>}
                      {webhook.disabledReason ? <div className="muted">{webhook.disabledReason}</div> : null}
                    </td>
                    <td data-label="Failures">{webhook.consecutiveFailures}</td>
                    <td className="nowrap">
                      <button
                        type="button"
                        className="secondary small"
                        aria-expanded={showing === webhook.id}
                        aria-label={`Deliveries of ${webhook.url}`}
                        onClick={() => setShowing(showing === webhook.id ? null : webhook.id)}
                      >
                        Deliveries
                      </button>{' '}
                      {webhook.enabled ? (
                        <button type="button" className="danger small" aria-label={`Disable ${webhook.url}`} onClick={() => setDisabling(webhook)}>
                          Disable
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="small"
                          aria-label={`Enable ${webhook.url}`}
                          onClick={() => setEnabled(webhook, true).catch((failure: unknown) => setActionError(failure))}
                        >
                          Enable
                        </button>
                      )}
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
      {showing && list.data?.some((webhook) => webhook.id === showing) ? <Deliveries webhook={list.data.find((webhook) => webhook.id === showing)!} /> : null}
      <ConfirmDialog
        open={disabling !== null}
        title="Disable this webhook endpoint?"
        confirmLabel="Disable endpoint"
        onCancel={() => setDisabling(null)}
        onConfirm={async () => {
          if (!disabling) return;
          await setEnabled(disabling, false);
          setDisabling(null);
        }}
      >
        <p>
          Nothing more is sent to <span className="mono">{disabling?.url}</span> until you enable it again; pending deliveries wait.
        </p>
      </ConfirmDialog>
    </>
  );
}

function Deliveries({ webhook }: { webhook: WebhookView }) {
  const path = useWorkspacePath();
  const deliveries = useLoad(
    () => dataOf(api.GET('/api/v1/workspaces/{slug}/webhooks/{id}/deliveries', { params: { path: { ...path, id: webhook.id }, query: { limit: 50 } } })),
    `${path.slug}/${webhook.id}`,
    { pollMs: LIVE_INTERVAL_MS },
  );
  const [retryError, setRetryError] = useState<unknown>(null);
  const [retried, setRetried] = useState<string | null>(null);
  const retry = async (deliveryId: string) => {
    setRetryError(null);
    setRetried(null);
    try {
      await dataOf(api.POST('/api/v1/workspaces/{slug}/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { ...path, id: webhook.id, deliveryId } } }));
      setRetried(deliveryId);
      deliveries.reload();
    } catch (error) {
      setRetryError(error);
    }
  };
  return (
    <section aria-labelledby="deliveries-title" className="panel">
      <h2 id="deliveries-title">Recent deliveries to {webhook.url}</h2>
      <ErrorNote error={deliveries.error} />
      <ErrorNote error={retryError} title="Retry failed." />
      {retried ? (
        <p className="note note-info" role="status">
          Delivery queued again.
        </p>
      ) : null}
      {deliveries.data ? (
        deliveries.data.length === 0 ? (
          <Empty>No delivery yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="cards">
              <caption>Recent deliveries</caption>
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last answer</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.map((delivery) => (
                  <tr key={delivery.id}>
                    <td className="card-title time">{formatTime(delivery.createdAt)}</td>
                    <td data-label="Event" className="mono">{delivery.eventType}</td>
                    <td data-label="Status">
                      <Badge kind={delivery.status === 'delivered' ? 'ok' : delivery.status === 'dead' ? 'bad' : delivery.status === 'pending' ? 'warn' : 'off'}>{delivery.status}</Badge>
                    </td>
                    <td data-label="Attempts">{delivery.attempts}</td>
                    <td data-label="Last answer">
                      {delivery.lastStatusCode ?? '—'}
                      {delivery.lastError ? <div className="muted">{delivery.lastError}</div> : null}
                    </td>
                    <td>
                      <button type="button" className="small" aria-label={`Retry delivery ${delivery.id}`} onClick={() => void retry(delivery.id)}>
                        Retry
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : deliveries.error ? null : (
        <Loading />
      )}
    </section>
  );
}
