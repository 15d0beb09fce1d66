import { useState } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import type { MemberHistoryItem } from '../api/types';
import { actorText, dialectText, formatTime } from '../components/format';
import { Badge, Empty, ErrorNote, Loading } from '../components/ui';
import { LIVE_INTERVAL_MS, useLoad } from '../components/use-load';
import { Link } from '../router';
import { useWorkspacePath } from '../session';
import { MergeDialog } from './members';
import { flattenResource, mergePairOf, type MergePair } from '../components/members-logic';

/** A member: attributes, groups, roles, live sessions and its history from the event store. */
export function MemberPage({ memberId }: { memberId: string }) {
  const path = useWorkspacePath();
  const member = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/members/{memberId}', { params: { path: { ...path, memberId } } })), `${path.slug}/${memberId}`, {
    pollMs: LIVE_INTERVAL_MS,
  });
  const [merging, setMerging] = useState<MergePair | null>(null);

  if (!member.data) {
    return (
      <>
        <p>
          <Link to="/settings/members">← Back to Members</Link>
        </p>
        <h1 id="page-title" tabIndex={-1}>
          Member
        </h1>
        {member.error ? <ErrorNote error={member.error} /> : <Loading label="Loading member…" />}
      </>
    );
  }
  const data = member.data;
  const name = data.displayName ?? data.userName;
  const pair = mergePairOf(data);
  const attributes = flattenResource(data.resource);
  return (
    <>
      <p>
        <Link to="/settings/members">← Back to Members</Link>
      </p>
      <div className="page-heading">
        <p className="trail">Settings → Members → {name}</p>
        <h1 id="page-title" tabIndex={-1}>
          {name} {data.scimBadge ? <Badge kind="scim" label="Provisioned by the identity provider">SCIM</Badge> : null}{' '}
          {data.active ? <Badge kind="ok">Active</Badge> : <Badge kind="off">Deactivated</Badge>}
        </h1>
      </div>
      <ErrorNote error={member.error} />
      {pair ? (
        <p className="note note-warn">
          Possible duplicate: another account has the email {data.email}.{' '}
          <button type="button" className="small" onClick={() => setMerging(pair)}>
            Merge
          </button>
        </p>
      ) : data.source === 'local' && data.email ? (
        // With auto-merge off, an IdP's create with this email was refused (SCIM_USER_CONFLICT) and left
        // no SCIM twin to pair with: the approval is what lets its next create take this account over.
        <p className="note">
          Local account. If your identity provider’s create for {data.email} was refused with SCIM_USER_CONFLICT, approve the merge: its next create takes this
          account over, keeping its history and sessions.{' '}
          <button type="button" className="small" onClick={() => setMerging({ email: data.email, localId: data.id, localName: name })}>
            Approve merge
          </button>
        </p>
      ) : null}

      <section aria-labelledby="attributes-title" className="panel">
        <h2 id="attributes-title">Attributes</h2>
        <dl className="facts">
          <div>
            <dt>User name</dt>
            <dd className="mono">{data.userName}</dd>
          </div>
          <div>
            <dt>Email</dt>
            {/* A narrow column breaks an address after its @, not inside a word. */}
            <dd>{data.email ? <>{data.email.slice(0, data.email.indexOf('@') + 1)}<wbr />{data.email.slice(data.email.indexOf('@') + 1)}</> : '—'}</dd>
          </div>
          <div>
            <dt>Source</dt>
            <dd>{data.source === 'scim' ? 'SCIM (identity provider)' : 'Local'}</dd>
          </div>
          <div>
            <dt>External id</dt>
            <dd className="mono">{data.externalId ?? '—'}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatTime(data.createdAt)}</dd>
          </div>
          <div>
            <dt>Last change by the identity provider</dt>
            <dd>{formatTime(data.lastScimChangeAt)}</dd>
          </div>
        </dl>
        {attributes.length ? (
          <div className="table-wrap">
            <table>
              <caption>All attributes (SCIM resource, custom attributes included)</caption>
              <thead>
                <tr>
                  <th scope="col">Attribute</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {attributes.map(([attribute, value]) => (
                  <tr key={attribute}>
                    <th scope="row" className="mono attr">
                      {attribute}
                    </th>
                    <td>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <div className="two">
        <section aria-labelledby="groups-title" className="panel">
          <h2 id="groups-title">Groups</h2>
          {data.groups.length ? (
            <ul className="plain">
              {data.groups.map((group) => (
                <li key={group.id}>{group.displayName}</li>
              ))}
            </ul>
          ) : (
            <Empty>In no group.</Empty>
          )}
        </section>
        <section aria-labelledby="roles-title" className="panel">
          <h2 id="roles-title">Roles</h2>
          {data.roles.length ? (
            <ul className="plain">
              {data.roles.map((role) => (
                <li key={role}>{role}</li>
              ))}
            </ul>
          ) : (
            <Empty>No role (roles come from group role mappings).</Empty>
          )}
        </section>
      </div>

      <section aria-labelledby="sessions-title" className="panel">
        <h2 id="sessions-title">Active sessions</h2>
        {data.sessions.length ? (
          <div className="table-wrap">
            <table>
              <caption>Active sessions</caption>
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {data.sessions.map((session) => (
                  <tr key={session.id}>
                    <td className="mono">{session.prefix}</td>
                    <td className="time">{formatTime(session.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <Empty>No active session.</Empty>
        )}
      </section>

      <MemberHistory memberId={memberId} />
      <MergeDialog
        pair={merging}
        onCancel={() => setMerging(null)}
        onDone={() => {
          setMerging(null);
          member.reload();
        }}
      />
    </>
  );
}

function MemberHistory({ memberId }: { memberId: string }) {
  const path = useWorkspacePath();
  const first = useLoad(
    () => dataOf(api.GET('/api/v1/workspaces/{slug}/members/{memberId}/history', { params: { path: { ...path, memberId }, query: { limit: 50 } } })),
    `${path.slug}/${memberId}`,
    { pollMs: LIVE_INTERVAL_MS },
  );
  const [older, setOlder] = useState<{ items: MemberHistoryItem[]; nextCursor: string | null } | null>(null);
  const [olderError, setOlderError] = useState<unknown>(null);
  const items = [...(first.data?.items ?? []), ...(older?.items ?? [])];
  const cursor = older ? older.nextCursor : (first.data?.nextCursor ?? null);

  const loadOlder = async () => {
    if (!cursor) return;
    setOlderError(null);
    try {
      const page = await dataOf(api.GET('/api/v1/workspaces/{slug}/members/{memberId}/history', { params: { path: { ...path, memberId }, query: { limit: 50, before: cursor } } }));
      setOlder({ items: [...(older?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (error) {
      setOlderError(error);
    }
  };

  return (
    <section aria-labelledby="history-title" className="panel">
      <h2 id="history-title">History</h2>
      <ErrorNote error={first.error} />
      {first.data ? (
        items.length === 0 ? (
          <Empty>No events recorded for this member.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="cards">
                <caption>History, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What happened</th>
                    <th scope="col">By</th>
                    <th scope="col">Event</th>
                    <th scope="col">Request</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.eventId}>
                      <td className="card-title time">{formatTime(item.occurredAt)}</td>
                      <td data-label="What happened">
                        {item.summary}
                        {item.changes ? <span className="muted"> — {Object.keys(item.changes).join(', ')}</span> : null}
                      </td>
                      <td data-label="By">
                        {actorText(item.actor, item.actorName)}
                        {item.dialect && item.dialect !== 'admin' ? <span className="muted"> via {dialectText(item.dialect)}</span> : null}
                      </td>
                      <td data-label="Event" className="mono">{item.type}</td>
                      <td data-label="Request">{item.requestId && item.actor.startsWith('token:') ? <Link to={`/scim-requests/${encodeURIComponent(item.requestId)}`} aria-label={`View request ${item.requestId}`}>View request</Link> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ErrorNote error={olderError} />
            {cursor ? (
              <button type="button" className="secondary" onClick={() => void loadOlder()}>
                Load older events
              </button>
            ) : null}
          </>
        )
      ) : first.error ? null : (
        <Loading label="Loading history…" />
      )}
    </section>
  );
}
