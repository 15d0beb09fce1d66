import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import { FIXES } from '../api/errors';
import type { AuditEntryView } from '../api/types';
import { EVENT_NAMES, eventName, fromScimRequest, isRejection, targetsMember, targetText } from '../components/event-names';
import { actorText, dialectText, formatTime, isoOfLocalInput } from '../components/format';
import { Badge, Empty, ErrorNote, Loading, PageHeading } from '../components/ui';
import { LIVE_INTERVAL_MS, useLoad } from '../components/use-load';
import { Link } from '../router';
import { useWorkspacePath } from '../session';

interface Filters {
  code: string;
  member: string;
  actor: string;
  outcome: '' | 'success' | 'rejected';
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { code: '', member: '', actor: '', outcome: '', from: '', to: '' };

function queryOf(filters: Filters) {
  const from = isoOfLocalInput(filters.from);
  const to = isoOfLocalInput(filters.to);
  return {
    ...(filters.code.trim() ? { code: filters.code.trim() } : {}),
    ...(filters.member.trim() ? { target: filters.member.trim() } : {}),
    ...(filters.actor.trim() ? { actor: filters.actor.trim() } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

function reasonOf(entry: AuditEntryView): string | null {
  const details = entry.details;
  const detail = typeof details['detail'] === 'string' ? details['detail'] : null;
  const reason = typeof details['reason'] === 'string' ? details['reason'].replace(/-/g, ' ') : null;
  return [detail, reason].filter(Boolean).join(' — ') || null;
}

/** Security Console: the audit log with filters, live while open, exported as CSV or JSON. */
export function SecurityConsole() {
  const path = useWorkspacePath();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [older, setOlder] = useState<{ entries: AuditEntryView[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const query = queryOf(filters);
  const first = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/audit', { params: { path, query: { ...query, limit: 50 } } })), JSON.stringify([path.slug, query]), {
    pollMs: LIVE_INTERVAL_MS,
  });
  const entries = [...(first.data?.entries ?? []), ...(older?.entries ?? []).filter((entry) => !first.data?.entries.some((seen) => seen.id === entry.id))];
  const cursor = older ? older.nextCursor : (first.data?.nextCursor ?? null);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setOlder(null);
    setFilters(draft);
  };
  const clear = () => {
    setDraft(NO_FILTERS);
    setFilters(NO_FILTERS);
    setOlder(null);
  };
  const loadMore = async () => {
    if (!cursor) return;
    setMoreError(null);
    try {
      const page = await dataOf(api.GET('/api/v1/workspaces/{slug}/audit', { params: { path, query: { ...query, limit: 50, cursor } } }));
      setOlder({ entries: [...(older?.entries ?? []), ...page.entries], nextCursor: page.nextCursor });
    } catch (error) {
      setMoreError(error);
    }
  };
  const exportAs = async (format: 'csv' | 'json') => {
    setExportError(null);
    try {
      const blob = await dataOf(api.GET('/api/v1/workspaces/{slug}/audit/export', { params: { path, query: { ...query, format } }, parseAs: 'blob' }));
      const url = URL.createObjectURL(blob as Blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `audit-${path.slug}.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setExportError(error);
    }
  };
  const set = (field: keyof Filters) => (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value });

  return (
    <>
      <PageHeading title="Security Console">
        <p className="lead">Every provisioning event and every rejected operation, with the admin or identity provider that caused it. Updates live while this page is open.</p>
      </PageHeading>

      <form className="filters" role="search" aria-label="Filter the audit log" onSubmit={apply}>
        <div className="field">
          <label htmlFor="audit-code">Event type or code</label>
          <input id="audit-code" list="audit-codes" value={draft.code} onChange={set('code')} placeholder="e.g. ACCOUNT_SCIM_USER_* or SCIM_*" />
          <datalist id="audit-codes">
            {Object.entries(EVENT_NAMES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="audit-member">Member</label>
          <input id="audit-member" value={draft.member} onChange={set('member')} placeholder="id, userName or externalId" />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input id="audit-actor" value={draft.actor} onChange={set('actor')} placeholder="e.g. admin:adm_1a2b" />
        </div>
        <div className="field">
          <label htmlFor="audit-outcome">Outcome</label>
          <select id="audit-outcome" value={draft.outcome} onChange={set('outcome')}>
            <option value="">Any outcome</option>
            <option value="success">Succeeded</option>
            <option value="rejected">Rejected</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" type="datetime-local" value={draft.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input id="audit-to" type="datetime-local" value={draft.to} onChange={set('to')} />
        </div>
        <div className="filter-actions">
          <button type="submit">Apply filters</button>
          <button type="button" className="secondary" onClick={clear}>
            Clear filters
          </button>
        </div>
      </form>

      <div className="actions">
        <button type="button" className="secondary" onClick={() => void exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" className="secondary" onClick={() => void exportAs('json')}>
          Export JSON
        </button>
        <span className="live" role="status">
          {first.error ? 'Live updates paused (error)' : 'Live updates on'}
        </span>
      </div>
      <ErrorNote error={exportError} title="Export failed." />
      <ErrorNote error={first.error} />

      {first.data ? (
        entries.length === 0 ? (
          <Empty>No audit entries{Object.keys(query).length ? ' match these filters' : ' yet'}.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="audit cards">
                <caption>Audit log, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Event</th>
                    <th scope="col">Member or target</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Request</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((entry) => {
                    const rejected = isRejection(entry.code);
                    const reason = rejected ? reasonOf(entry) : null;
                    return (
                      <tr key={entry.id} className={rejected ? 'rejected' : undefined}>
                        <td className="time" data-label="When">
                          {formatTime(entry.occurredAt)}
                        </td>
                        <td data-label="Event">
                          <span className="mono code-name">{entry.code}</span>
                          <br />
                          <span className="muted">{eventName(entry.code)}</span>
                        </td>
                        <td data-label="Target">
                          {entry.target.id && targetsMember(entry.code) ? <Link to={`/members/${entry.target.id}`}>{targetText(entry)}</Link> : targetText(entry)}
                        </td>
                        <td data-label="Actor">
                          {actorText(entry.actor, entry.actorName)}
                          {entry.dialect && entry.dialect !== 'admin' ? <span className="muted"> via {dialectText(entry.dialect)}</span> : null}
                        </td>
                        <td data-label="Outcome">
                          {rejected ? (
                            <>
                              {/* The product code is in the Event column already. */}
                              <Badge kind="bad">Rejected</Badge>
                              {reason ? <div>{reason}</div> : null}
                              {FIXES[entry.code] ? <div className="muted">Fix: {FIXES[entry.code]}</div> : null}
                            </>
                          ) : (
                            <Badge kind="ok">Succeeded</Badge>
                          )}
                        </td>
                        <td data-label="Request">
                          {entry.requestId && fromScimRequest(entry) ? (
                            <Link to={`/scim-requests/${encodeURIComponent(entry.requestId)}`} aria-label={`View request ${entry.requestId}`}>
                              View request
                            </Link>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <ErrorNote error={moreError} />
            {cursor ? (
              <button type="button" className="secondary" onClick={() => void loadMore()}>
                Load older entries
              </button>
            ) : null}
          </>
        )
      ) : first.error ? null : (
        <Loading label="Loading the audit log…" />
      )}
    </>
  );
}
