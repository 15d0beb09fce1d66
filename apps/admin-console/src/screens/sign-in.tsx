import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import type { ConsoleSessionView } from '../api/types';
import { ErrorNote } from '../components/ui';

/**
 * Sign-in with a workspace slug and an admin key. The key is read from the form when it is
 * submitted, sent only in the POST body, and the field is emptied at once: it is never in React
 * state, storage or a URL.
 */
export function SignIn({ onSignedIn, expired }: { onSignedIn: (session: ConsoleSessionView) => void; expired: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const workspace = String(fields.get('workspace') ?? '').trim();
    const keyField = form.elements.namedItem('adminKey') as HTMLInputElement;
    const adminKey = keyField.value.trim();
    keyField.value = '';
    setBusy(true);
    setError(null);
    try {
      const session = await dataOf(api.POST('/api/v1/console/sessions', { body: { workspace, adminKey } }));
      onSignedIn(session);
    } catch (failure) {
      setError(failure);
      setBusy(false);
      keyField.focus();
    }
  };

  return (
    <main className="sign-in" id="main">
      <form className="card" method="post" onSubmit={(event) => void submit(event)} autoComplete="off" aria-labelledby="sign-in-title">
        <p className="brand">AxisSynapse</p>
        <h1 id="sign-in-title">Sign in to the admin console</h1>
        {expired ? (
          <p className="note note-info" role="status">
            Your session ended. Sign in again.
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="workspace">Workspace</label>
          <input id="workspace" name="workspace" required autoCapitalize="none" spellCheck={false} defaultValue="default" />
        </div>
        <div className="field">
          <label htmlFor="adminKey">Admin key</label>
          <input id="adminKey" name="adminKey" type="password" required autoComplete="off" spellCheck={false} aria-describedby="adminKey-hint" />
          <p className="hint" id="adminKey-hint">
            An admin API key of the workspace (adm_…). It is exchanged for a session and not kept by the browser.
          </p>
        </div>
        <ErrorNote error={error} title="Sign-in failed." />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
