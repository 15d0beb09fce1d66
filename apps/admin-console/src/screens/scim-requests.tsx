import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import { FIXES } from '../api/errors';
import type { ScimRequestSummary } from '../api/types';
import { dialectText, formatTime, isoOfLocalInput } from '../components/format';
import { Badge, Empty, ErrorNote, Loading, PageHeading } from '../components/ui';
import { LIVE_INTERVAL_MS, useLoad } from '../components/use-load';
import { Link } from '../router';
import { useWorkspacePath } from '../session';

const OPERATIONS = ['users.create', 'users.get', 'users.list', 'users.replace', 'users.patch', 'users.delete', 'groups.create', 'groups.get', 'groups.list', 'groups.replace', 'groups.patch', 'groups.delete'];

interface Filters {
  status: string;
  user: string;
  operation: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { status: '', user: '', operation: '', from: '', to: '' };

function statusBadge(status: number) {
  return <Badge kind={status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'ok'}>{status}</Badge>;
}

/** SCIM request log: every SCIM request of the workspace, newest first, bodies redacted. */
export function ScimRequestLog() {
  const path = useWorkspacePath();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [older, setOlder] = useState<{ items: ScimRequestSummary[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const from = isoOfLocalInput(filters.from);
  const to = isoOfLocalInput(filters.to);
  const query = {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.user.trim() ? { user: filters.user.trim() } : {}),
    ...(filters.operation ? { operation: filters.operation } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  const first = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/scim-requests', { params: { path, query: { ...query, limit: 50 } } })), JSON.stringify([path.slug, query]), {
    pollMs: LIVE_INTERVAL_MS,
  });
  const items = [...(first.data?.items ?? []), ...(older?.items ?? []).filter((item) => !first.data?.items.some((seen) => seen.requestId === item.requestId))];
  const cursor = older ? older.nextCursor : (first.data?.nextCursor ?? null);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setOlder(null);
    setFilters(draft);
  };
  const loadMore = async () => {
    if (!cursor) return;
    setMoreError(null);
    try {
      const page = await dataOf(api.GET('/api/v1/workspaces/{slug}/scim-requests', { params: { path, query: { ...query, limit: 50, cursor } } }));
      setOlder({ items: [...(older?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (error) {
      setMoreError(error);
    }
  };
  const set = (field: keyof Filters) => (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value });

  return (
    <>
      <PageHeading trail={['Security']} title="SCIM request log">
        <p className="lead">Every SCIM request your identity provider sent, with its answer. Secrets in bodies are redacted. Kept 30 days by default.</p>
      </PageHeading>
      <form className="filters" role="search" aria-label="Filter SCIM requests" onSubmit={apply}>
        <div className="field">
          <label htmlFor="req-status">Status</label>
          <select id="req-status" value={draft.status} onChange={set('status')}>
            <option value="">Any status</option>
            <option value="2xx">2xx success</option>
            <option value="4xx">4xx refused</option>
            <option value="5xx">5xx server error</option>
            <option value="401">401 unauthorized</option>
            <option value="409">409 conflict</option>
            <option value="400">400 bad request</option>
            <option value="429">429 rate limited</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="req-user">User</label>
          <input id="req-user" value={draft.user} onChange={set('user')} placeholder="id or userName" />
        </div>
        <div className="field">
          <label htmlFor="req-operation">Operation</label>
          <select id="req-operation" value={draft.operation} onChange={set('operation')}>
            <option value="">Any operation</option>
            {OPERATIONS.map((operation) => (
              <option key={operation} value={operation}>
                {operation}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="req-from">From</label>
          <input id="req-from" type="datetime-local" value={draft.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="req-to">To</label>
          <input id="req-to" type="datetime-local" value={draft.to} onChange={set('to')} />
        </div>
        <div className="filter-actions">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
              setOlder(null);
            }}
          >
            Clear filters
          </button>
        </div>
      </form>
      <ErrorNote error={first.error} />
      {first.data ? (
        items.length === 0 ? (
          <Empty>No SCIM request{Object.keys(query).length ? ' matches these filters' : ' yet: has the identity provider’s Test connection run?'}.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="cards">
                <caption>SCIM requests, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Request</th>
                    <th scope="col">When</th>
                    <th scope="col">Status</th>
                    <th scope="col">Error code</th>
                    <th scope="col">Identity provider</th>
                    <th scope="col">Latency</th>
                    <th scope="col">Operation</th>
                    <th scope="col">
                      <span className="visually-hidden">Details</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.requestId}>
                      <td className="card-title mono">
                        {item.method} {item.path}
                      </td>
                      <td className="time" data-label="When">
                        {formatTime(item.at)}
                      </td>
                      <td data-label="Status">{statusBadge(item.status)}</td>
                      <td className="mono" data-label="Error code">
                        {item.errorCode ?? '—'}
                      </td>
                      <td data-label="IdP">{dialectText(item.dialect)}</td>
                      <td data-label="Latency">{item.latencyMs} ms</td>
                      <td className="mono" data-label="Operation">
                        {item.operation}
                      </td>
                      <td>
                        <Link to={`/scim-requests/${encodeURIComponent(item.requestId)}`} aria-label={`Details of request ${item.requestId}`}>
                          Details
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ErrorNote error={moreError} />
            {cursor ? (
              <button type="button" className="secondary" onClick={() => void loadMore()}>
                Load older requests
              </button>
            ) : null}
          </>
        )
      ) : first.error ? null : (
        <Loading label="Loading SCIM requests…" />
      )}
    </>
  );
}

function Body({ title, value }: { title: string; value: unknown }) {
  const id = `body-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id} className="panel">
      <h2 id={id}>{title}</h2>
      {value === null || value === undefined || value === '' ? <Empty>No body.</Empty> : <pre className="body" tabIndex={0} aria-labelledby={id}>{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>}
    </section>
  );
}

/** One SCIM request: what was asked, what was answered (bodies redacted). */
export function ScimRequestDetailPage({ requestId }: { requestId: string }) {
  const path = useWorkspacePath();
  const detail = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/scim-requests/{requestId}', { params: { path: { ...path, requestId } } })), `${path.slug}/${requestId}`);
  const data = detail.data;
  return (
    <>
      <p>
        <Link to="/scim-requests">← Back to the SCIM request log</Link>
      </p>
      <PageHeading trail={['Security', 'SCIM request log']} title={data ? `${data.method} ${data.path}` : 'SCIM request'} />
      {data ? (
        <>
          <dl className="facts">
            <div>
              <dt>Request id</dt>
              <dd className="mono">{data.requestId}</dd>
            </div>
            <div>
              <dt>When</dt>
              <dd>{formatTime(data.at)}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>{statusBadge(data.status)}</dd>
            </div>
            <div>
              <dt>Error code</dt>
              <dd className="mono">{data.errorCode ?? '—'}</dd>
            </div>
            <div>
              <dt>Operation</dt>
              <dd className="mono">{data.operation}</dd>
            </div>
            <div>
              <dt>Identity provider</dt>
              <dd>{dialectText(data.dialect)}</dd>
            </div>
            <div>
              <dt>Latency</dt>
              <dd>{data.latencyMs} ms</dd>
            </div>
            <div>
              <dt>Token</dt>
              <dd className="mono">{data.tokenPrefix ?? '—'}</dd>
            </div>
            <div>
              <dt>Resource</dt>
              <dd className="mono">{data.resourceId && data.operation.startsWith('users.') ? <Link to={`/members/${data.resourceId}`}>{data.resourceId}</Link> : (data.resourceId ?? '—')}</dd>
            </div>
            <div>
              <dt>Query</dt>
              <dd className="mono">{data.query ?? '—'}</dd>
            </div>
          </dl>
          {data.errorCode && FIXES[data.errorCode] ? (
            <p className="note note-warn">
              <strong>{data.errorCode}:</strong> {FIXES[data.errorCode]}
            </p>
          ) : null}
          {data.truncated ? <p className="note note-info">A body was longer than the log keeps: it is cut short.</p> : null}
          <p className="muted">Secrets (tokens, keys, passwords) are replaced by [REDACTED] before the request is stored.</p>
          <Body title="Request body" value={data.requestBody} />
          <Body title="Response body" value={data.responseBody} />
        </>
      ) : detail.error ? (
        <ErrorNote error={detail.error} />
      ) : (
        <Loading label="Loading the request…" />
      )}
    </>
  );
}
