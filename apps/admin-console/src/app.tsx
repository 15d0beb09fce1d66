import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, setCsrfToken, whenSignedOut } from './api/client';
import { dataOf } from './api/data';
import type { ConsoleSessionView } from './api/types';
import { ErrorNote, Loading } from './components/ui';
import { Link, navigate, useRoute } from './router';
import { SessionContext, type SessionContextValue } from './session';
import { SignIn } from './screens/sign-in';
import { ScimSettings } from './screens/scim-settings';
import { AdminKeys } from './screens/admin-keys';
import { Members } from './screens/members';
import { MemberPage } from './screens/member-page';
import { SecurityConsole } from './screens/security-console';
import { ScimRequestLog, ScimRequestDetailPage } from './screens/scim-requests';
import { Webhooks } from './screens/webhooks';
import { CustomAttributes } from './screens/custom-attributes';
import { RoleMappings } from './screens/role-mappings';

export const HOME = '/settings/identity/scim';

const NAV: { to: string; label: string; group: string }[] = [
  { to: HOME, label: 'SCIM', group: 'Identity' },
  { to: '/settings/members', label: 'Members', group: 'Settings' },
  { to: '/settings/admin-keys', label: 'Admin keys', group: 'Settings' },
  { to: '/settings/webhooks', label: 'Webhooks', group: 'Settings' },
  { to: '/settings/custom-attributes', label: 'Custom attributes', group: 'Settings' },
  { to: '/settings/role-mappings', label: 'Role mappings', group: 'Settings' },
  { to: '/security-console', label: 'Security Console', group: 'Security' },
  { to: '/scim-requests', label: 'SCIM request log', group: 'Security' },
];

function screenFor(path: string): { title: string; element: ReactNode } {
  const member = /^\/members\/([^/]+)$/.exec(path);
  if (member) return { title: 'Member', element: <MemberPage memberId={decodeURIComponent(member[1]!)} /> };
  const request = /^\/scim-requests\/([^/]+)$/.exec(path);
  if (request) return { title: 'SCIM request', element: <ScimRequestDetailPage requestId={decodeURIComponent(request[1]!)} /> };
  switch (path) {
    case HOME:
      return { title: 'SCIM', element: <ScimSettings /> };
    case '/settings/members':
      return { title: 'Members', element: <Members /> };
    case '/settings/admin-keys':
      return { title: 'Admin keys', element: <AdminKeys /> };
    case '/settings/webhooks':
      return { title: 'Webhooks', element: <Webhooks /> };
    case '/settings/custom-attributes':
      return { title: 'Custom attributes', element: <CustomAttributes /> };
    case '/settings/role-mappings':
      return { title: 'Role mappings', element: <RoleMappings /> };
    case '/security-console':
      return { title: 'Security Console', element: <SecurityConsole /> };
    case '/scim-requests':
      return { title: 'SCIM request log', element: <ScimRequestLog /> };
    default:
      return {
        title: 'Page not found',
        element: (
          <>
            <h1 id="page-title" tabIndex={-1}>
              Page not found
            </h1>
            <p>
              There is no such page in the console. <Link to={HOME}>Go to Settings → Identity → SCIM</Link>.
            </p>
          </>
        ),
      };
  }
}

type Boot =
  | { state: 'loading' }
  | { state: 'signed-out'; expired: boolean }
  | { state: 'signed-in'; session: ConsoleSessionView; justSignedIn: boolean }
  | { state: 'failed'; error: unknown };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });

  const signedIn = useCallback((session: ConsoleSessionView, justSignedIn: boolean) => {
    setCsrfToken(session.csrfToken);
    setBoot({ state: 'signed-in', session, justSignedIn });
  }, []);

  useEffect(() => {
    whenSignedOut(() => {
      setCsrfToken(null);
      setBoot({ state: 'signed-out', expired: true });
    });
    api.GET('/api/v1/console/session').then(
      ({ data }) => (data ? signedIn(data, false) : setBoot({ state: 'signed-out', expired: false })),
      (error: unknown) => {
        const status = (error as { status?: number }).status;
        setBoot(status === 401 ? { state: 'signed-out', expired: false } : { state: 'failed', error });
      },
    );
    return () => whenSignedOut(null);
  }, [signedIn]);

  if (boot.state === 'loading') {
    return (
      <main id="main" className="boot">
        <Loading label="Opening the admin console…" />
      </main>
    );
  }
  if (boot.state === 'failed') {
    return (
      <main id="main" className="boot">
        <h1>The admin console could not start</h1>
        <ErrorNote error={boot.error} />
        <button type="button" onClick={() => window.location.reload()}>
          Try again
        </button>
      </main>
    );
  }
  if (boot.state === 'signed-out') return <SignIn onSignedIn={(session) => signedIn(session, true)} expired={boot.expired} />;
  return (
    <Console
      session={boot.session}
      justSignedIn={boot.justSignedIn}
      onSignedOut={() => {
        setCsrfToken(null);
        setBoot({ state: 'signed-out', expired: false });
      }}
    />
  );
}

function Console({ session, justSignedIn, onSignedOut }: { session: ConsoleSessionView; justSignedIn: boolean; onSignedOut: () => void }) {
  const { path } = useRoute();
  const [signOutError, setSignOutError] = useState<unknown>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (path === '/' || path === '/sign-in') navigate(HOME, { replace: true });
  }, [path]);

  const { title, element } = screenFor(path === '/' || path === '/sign-in' ? HOME : path);

  useEffect(() => {
    document.title = `${title} · ${session.workspace} · AxisSynapse admin console`;
  }, [title, session.workspace]);

  // After a navigation, focus the new page's heading so keyboard and screen-reader users land on it;
  // after signing in too (the sign-in form that had focus is gone), but not on a plain page load.
  const firstRender = useRef(true);
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      if (!justSignedIn) return;
    }
    document.getElementById('page-title')?.focus();
  }, [path, justSignedIn]);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      signOut: async () => {
        // The middleware sets the same header; the document marks it required here, so say it.
        await dataOf(api.DELETE('/api/v1/console/session', { params: { header: { 'X-CSRF-Token': session.csrfToken } } }));
        onSignedOut();
      },
    }),
    [session, onSignedOut],
  );

  const signOut = async () => {
    setSignOutError(null);
    try {
      await value.signOut();
    } catch (error) {
      setSignOutError(error);
    }
  };

  const groups = [...new Set(NAV.map((item) => item.group))];
  return (
    <SessionContext.Provider value={value}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">AxisSynapse</span>
        <button type="button" className="secondary menu-toggle" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen((open) => !open)}>
          Menu
        </button>
        <div className="who">
          <span>
            Workspace <strong data-testid="workspace">{session.workspace}</strong>
          </span>
          <span>
            Signed in as <strong data-testid="admin-name">{session.admin.name}</strong>
          </span>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {signOutError ? <ErrorNote error={signOutError} title="Sign-out failed." /> : null}
      <div className="shell">
        <nav id="nav" aria-label="Console" className={menuOpen ? 'open' : ''}>
          {groups.map((group) => (
            <div key={group}>
              <p className="nav-group" id={`nav-${group}`}>
                {group === 'Identity' ? 'Settings → Identity' : group}
              </p>
              <ul aria-labelledby={`nav-${group}`}>
                {NAV.filter((item) => item.group === group).map((item) => (
                  <li key={item.to}>
                    <Link to={item.to} onClick={() => setMenuOpen(false)} aria-current={path === item.to || (item.to === '/settings/members' && path.startsWith('/members/')) ? 'page' : undefined}>
                      {item.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1}>
          {element}
        </main>
      </div>
    </SessionContext.Provider>
  );
}
