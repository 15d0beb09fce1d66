import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { errorText } from '../api/errors';

/** An error in words with the product code, announced to screen readers. */
export function ErrorNote({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const { text, code } = errorText(error);
  return (
    <div className="note note-error" role="alert">
      {title ? <strong>{title} </strong> : null}
      {text}
      {code ? <span className="code"> (code: {code})</span> : null}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Badge({ kind, children, label }: { kind: 'scim' | 'ok' | 'off' | 'warn' | 'bad'; children: ReactNode; label?: string }) {
  return (
    <span className={`badge badge-${kind}`} {...(label ? { title: label } : {})}>
      {children}
    </span>
  );
}

/**
 * The older way, for browsers that refuse the async clipboard (no permission, embedded views):
 * a selected off-screen textarea copied within the click's user activation.
 */
function copyBySelection(value: string): boolean {
  const area = document.createElement('textarea');
  area.value = value;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.left = '-9999px';
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  (opener?.closest('dialog') ?? document.body).append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  opener?.focus();
  return copied;
}

/** Copies a value; says so (politely announced) for two seconds. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState(copyBySelection(value) ? 'copied' : 'failed');
    }
  };
  return (
    <>
      <button type="button" className="secondary" onClick={() => void copy()}>
        {label}
      </button>
      <span className="copy-status" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy: select the text and copy it' : ''}
      </span>
    </>
  );
}

/**
 * A modal dialog on the native <dialog>: focus moves in and is kept inside, Escape closes, and
 * focus returns to what opened it. Labelled by its heading.
 */
export function Dialog({ open, title, onClose, children, role = 'dialog' }: { open: boolean; title: string; onClose: () => void; children: ReactNode; role?: 'dialog' | 'alertdialog' }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      return () => {
        if (dialog.open) dialog.close();
        opener?.focus();
      };
    }
    return undefined;
  }, [open]);
  return (
    <dialog
      ref={ref}
      role={role}
      aria-labelledby={titleId}
      aria-modal="true"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={keepTabInside}
    >
      {open ? (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal <dialog> keeps the rest of the page inert, but Tab past its last control leaves for the
 * browser's own UI: wrap around instead, so the keyboard stays in the dialog until it closes.
 */
function keepTabInside(event: KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== 'Tab') return;
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  if (controls.length === 0) return;
  const [first, last] = [controls[0]!, controls[controls.length - 1]!];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/** Confirmation before a destructive action; the action's own button names what happens. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!open) {
      setBusy(false);
      setError(null);
    }
  }, [open]);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title={title} onClose={onCancel} role="alertdialog">
      <div className="dialog-body">{children}</div>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void confirm()} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/** A secret shown once: readonly, selectable, copyable, with the warning. */
export function SecretOnce({ label, value, copyLabel, warning }: { label: string; value: string; copyLabel: string; warning: string }) {
  const id = useId();
  return (
    <div className="secret">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="mono" readOnly value={value} onFocus={(event) => event.currentTarget.select()} />
      <div className="actions-inline">
        <CopyButton value={value} label={copyLabel} />
      </div>
      <p className="note note-warn" role="note">
        {warning}
      </p>
    </div>
  );
}

export function PageHeading({ trail, title, children }: { trail?: string[]; title: string; children?: ReactNode }) {
  return (
    <div className="page-heading">
      {trail && trail.length ? (
        <p className="trail" aria-label="Location">
          {[...trail, title].join(' → ')}
        </p>
      ) : null}
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}
