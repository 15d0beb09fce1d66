import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import { formatTime } from '../components/format';
import { Badge, ConfirmDialog, Empty, ErrorNote, Loading, PageHeading } from '../components/ui';
import { LIVE_INTERVAL_MS, useDebounced, useLoad } from '../components/use-load';
import { Link } from '../router';
import { useWorkspacePath } from '../session';
import { mergePairOf, type MergePair } from '../components/members-logic';

const PAGE_SIZE = 25;
type Sort = 'createdAt' | 'userName' | 'displayName' | 'email';
type Order = 'asc' | 'desc';

const SORT_NAMES: Record<Sort, string> = { createdAt: 'Created', userName: 'User name', displayName: 'Name', email: 'Email' };

/** Settings → Members: server-side search, filters, sort and paging; refreshes itself while open. */
export function Members() {
  const path = useWorkspacePath();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const [source, setSource] = useState<'' | 'scim' | 'local'>('');
  const [state, setState] = useState<'' | 'active' | 'deactivated'>('');
  const [sort, setSort] = useState<Sort>('createdAt');
  const [order, setOrder] = useState<Order>('desc');
  const [page, setPage] = useState(0);
  const [merging, setMerging] = useState<MergePair | null>(null);

  const query = {
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
    sort,
    order,
    ...(q ? { q } : {}),
    ...(source ? { source } : {}),
    ...(state ? { state } : {}),
  };
  const members = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/members', { params: { path, query } })), JSON.stringify([path.slug, query]), { pollMs: LIVE_INTERVAL_MS });
  const duplicates = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/members/duplicates', { params: { path } })), path.slug, { pollMs: LIVE_INTERVAL_MS * 3 });
  // Pairs change when members come and go: look again as soon as the count moves, not only every 12 s.
  const memberCount = members.data?.total;
  const reloadDuplicates = duplicates.reload;
  const seenCount = useRef(memberCount);
  useEffect(() => {
    if (memberCount === undefined || seenCount.current === memberCount) return;
    const first = seenCount.current === undefined;
    seenCount.current = memberCount;
    if (!first) reloadDuplicates();
  }, [memberCount, reloadDuplicates]);

  const sortBy = (column: Sort) => {
    if (sort === column) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(column);
      setOrder(column === 'createdAt' ? 'desc' : 'asc');
    }
    setPage(0);
  };
  const ariaSort = (column: Sort) => (sort === column ? (order === 'asc' ? 'ascending' : 'descending') : undefined);
  const sortHeader = (column: Sort) => (
    <th scope="col" className="sortable" aria-sort={ariaSort(column)} key={column}>
      <button type="button" className="link sort" onClick={() => sortBy(column)}>
        {SORT_NAMES[column]}
        <span aria-hidden="true">{sort === column ? (order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        <span className="visually-hidden">{sort === column ? `, sorted ${order === 'asc' ? 'ascending' : 'descending'}` : ', sort'}</span>
      </button>
    </th>
  );

  const total = members.data?.total ?? 0;
  // The column only when this page has a duplicate: at 1280 px it would push Created out of view.
  const anyDuplicate = members.data?.items.some((member) => member.possibleDuplicateOf !== null) ?? false;
  // A search stops counting at 1,000 matches: one more page stays reachable while more match.
  const moreMatch = members.data?.totalIsLowerBound ?? false;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE) + (moreMatch ? 1 : 0));
  const totalText = `${total.toLocaleString()}${moreMatch ? '+' : ''}`;

  return (
    <>
      <PageHeading trail={['Settings']} title="Members">
        <p className="lead">Everyone in the workspace. Members provisioned by your identity provider carry the SCIM badge. This list refreshes itself.</p>
      </PageHeading>

      {duplicates.data && duplicates.data.items.length > 0 ? (
        <section aria-labelledby="duplicates-title" className="panel panel-warn">
          <h2 id="duplicates-title">Possible duplicates</h2>
          <p>A local account and a SCIM user share an email. Merging lets the SCIM user take over the local account.</p>
          <ul className="plain">
            {duplicates.data.items.map((pair) => (
              <li key={`${pair.local.id}-${pair.scim.id}`}>
                <span className="mono">{pair.email}</span>: local <Link to={`/members/${pair.local.id}`}>{pair.local.displayName ?? pair.local.userName}</Link> and SCIM{' '}
                <Link to={`/members/${pair.scim.id}`}>{pair.scim.displayName ?? pair.scim.userName}</Link>{' '}
                <button
                  type="button"
                  className="small"
                  aria-label={`Merge ${pair.email}`}
                  onClick={() => setMerging({ email: pair.email, localId: pair.local.id, localName: pair.local.displayName ?? pair.local.userName })}
                >
                  Merge
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <form className="filters" role="search" aria-label="Filter members" onSubmit={(event) => event.preventDefault()}>
        <div className="field wide">
          <label htmlFor="members-q">Search members</label>
          <input
            id="members-q"
            type="search"
            value={search}
            placeholder="Name, user name or email"
            onChange={(event) => {
              setSearch(event.target.value);
              setPage(0);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="members-source">Source</label>
          <select
            id="members-source"
            value={source}
            onChange={(event) => {
              setSource(event.target.value as typeof source);
              setPage(0);
            }}
          >
            <option value="">All sources</option>
            <option value="scim">SCIM (identity provider)</option>
            <option value="local">Local</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="members-state">State</label>
          <select
            id="members-state"
            value={state}
            onChange={(event) => {
              setState(event.target.value as typeof state);
              setPage(0);
            }}
          >
            <option value="">All states</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </div>
      </form>

      <ErrorNote error={members.error} />
      {members.data ? (
        members.data.items.length === 0 ? (
          <Empty>{q || source || state ? 'No member matches these filters.' : 'No members yet. Pilot users appear here as soon as your identity provider pushes them.'}</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="members cards">
                <caption>
                  Members <span className="muted">({totalText})</span>
                </caption>
                <thead>
                  <tr>
                    {sortHeader('displayName')}
                    {sortHeader('userName')}
                    {sortHeader('email')}
                    <th scope="col">Source</th>
                    <th scope="col">State</th>
                    <th scope="col">Groups</th>
                    <th scope="col">Roles</th>
                    {sortHeader('createdAt')}
                    {anyDuplicate ? <th scope="col">Duplicate</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {members.data.items.map((member) => {
                    const pair = mergePairOf(member);
                    const name = member.displayName ?? member.userName;
                    return (
                      <tr key={member.id}>
                        <td className="card-title">
                          <Link to={`/members/${member.id}`}>{name}</Link>
                        </td>
                        <td className="mono" data-label="User name">
                          {member.userName}
                        </td>
                        <td data-label="Email">{member.email ?? '—'}</td>
                        <td data-label="Source">{member.scimBadge ? <Badge kind="scim" label="Provisioned by the identity provider">SCIM</Badge> : <span>Local</span>}</td>
                        <td data-label="State">{member.active ? <Badge kind="ok">Active</Badge> : <Badge kind="off">Deactivated</Badge>}</td>
                        <td data-label="Groups">{member.groups.length ? member.groups.map((group) => group.displayName).join(', ') : '—'}</td>
                        <td data-label="Roles">{member.roles.length ? member.roles.join(', ') : '—'}</td>
                        <td className="time" data-label="Created">
                          {formatTime(member.createdAt)}
                        </td>
                        {anyDuplicate ? (
                          <td>
                            {pair ? (
                              <>
                                <Badge kind="warn">Possible duplicate</Badge>
                                <br />
                                <button type="button" className="small" aria-label={`Merge ${name}`} onClick={() => setMerging(pair)}>
                                  Merge
                                </button>
                              </>
                            ) : null}
                          </td>
                        ) : null}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <nav className="pager" aria-label="Members pages">
              <button type="button" className="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
                Previous page
              </button>
              <span>
                Page {page + 1} of {pages.toLocaleString()}
                {moreMatch ? '+' : ''}
              </span>
              <button type="button" className="secondary" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                Next page
              </button>
            </nav>
          </>
        )
      ) : members.error ? null : (
        <Loading label="Loading members…" />
      )}

      <MergeDialog
        pair={merging}
        onDone={() => {
          setMerging(null);
          members.reload();
          duplicates.reload();
        }}
        onCancel={() => setMerging(null)}
      />
    </>
  );
}

export function MergeDialog({ pair, onDone, onCancel }: { pair: MergePair | null; onDone: () => void; onCancel: () => void }) {
  const path = useWorkspacePath();
  return (
    <ConfirmDialog
      open={pair !== null}
      title="Merge these accounts?"
      confirmLabel="Merge"
      onCancel={onCancel}
      onConfirm={async () => {
        if (!pair) return;
        await dataOf(api.POST('/api/v1/workspaces/{slug}/members/{memberId}/merge', { params: { path: { ...path, memberId: pair.localId } } }));
        onDone();
      }}
    >
      <p>
        The SCIM user with the email <strong>{pair?.email ?? '—'}</strong> takes over the local account <strong>{pair?.localName}</strong> on the identity provider’s next sync
        (ACCOUNT_SCIM_USER_MERGED). The identity provider then manages that account.
      </p>
    </ConfirmDialog>
  );
}
