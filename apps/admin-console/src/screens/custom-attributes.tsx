import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { dataOf } from '../api/data';
import type { components } from '../api/schema';
import { Badge, ConfirmDialog, Empty, ErrorNote, Loading, PageHeading } from '../components/ui';
import { useLoad } from '../components/use-load';
import { useWorkspacePath } from '../session';

type Attribute = components['schemas']['CustomAttributeView'];
type AttributeType = Attribute['type'];
const TYPES: AttributeType[] = ['string', 'boolean', 'integer', 'decimal', 'dateTime', 'reference'];

/** Settings → Custom attributes: the workspace's SCIM extension attributes that IdP mappings target. */
export function CustomAttributes() {
  const path = useWorkspacePath();
  const list = useLoad(() => dataOf(api.GET('/api/v1/workspaces/{slug}/custom-attributes', { params: { path } })), path.slug);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [deprecating, setDeprecating] = useState<Attribute | null>(null);
  const [restoreError, setRestoreError] = useState<unknown>(null);

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      const created = await dataOf(
        api.POST('/api/v1/workspaces/{slug}/custom-attributes', {
          params: { path },
          body: {
            name: String(fields.get('name') ?? '').trim(),
            type: String(fields.get('type')) as AttributeType,
            description: String(fields.get('description') ?? '').trim(),
            multiValued: fields.get('multiValued') === 'on',
            caseExact: false,
            required: false,
            canonicalValues: [],
          },
        }),
      );
      setAdded(created.name);
      form.reset();
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const restore = async (attribute: Attribute) => {
    setRestoreError(null);
    try {
      await dataOf(api.POST('/api/v1/workspaces/{slug}/custom-attributes/{name}/restore', { params: { path: { ...path, name: attribute.name } } }));
      list.reload();
    } catch (failure) {
      setRestoreError(failure);
    }
  };

  return (
    <>
      <PageHeading trail={['Settings']} title="Custom attributes">
        <p className="lead">Attributes of your workspace’s SCIM extension. Map an identity provider attribute to the SCIM path shown here.</p>
      </PageHeading>
      <section aria-labelledby="define-title" className="panel">
        <h2 id="define-title">Define a custom attribute</h2>
        <form className="filters" onSubmit={(event) => void add(event)}>
          <div className="field">
            <label htmlFor="attr-name">Name</label>
            <input id="attr-name" name="name" required pattern="[A-Za-z][A-Za-z0-9_\-]{0,63}" placeholder="e.g. costCode" aria-describedby="attr-name-hint" />
            <p className="hint" id="attr-name-hint">
              Letters, digits, _ and -; starts with a letter.
            </p>
          </div>
          <div className="field">
            <label htmlFor="attr-type">Type</label>
            <select id="attr-type" name="type" defaultValue="string">
              {TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="attr-description">Description</label>
            <input id="attr-description" name="description" maxLength={500} />
          </div>
          <div className="field checkbox">
            <input id="attr-multi" name="multiValued" type="checkbox" />
            <label htmlFor="attr-multi">Multi-valued (a list of values)</label>
          </div>
          <div className="filter-actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Adding…' : 'Add attribute'}
            </button>
          </div>
        </form>
        <ErrorNote error={error} />
        {added ? (
          <p className="note note-info" role="status">
            Attribute {added} added.
          </p>
        ) : null}
      </section>

      <ErrorNote error={list.error} />
      <ErrorNote error={restoreError} title="Restore failed." />
      {list.data ? (
        list.data.items.length === 0 ? (
          <Empty>No custom attribute yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="cards">
              <caption>Custom attributes</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Multi-valued</th>
                  <th scope="col">Description</th>
                  <th scope="col">SCIM path (target in the IdP mapping)</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((attribute) => (
                  <tr key={attribute.name}>
                    <td className="card-title mono">{attribute.name}</td>
                    <td data-label="Type">{attribute.type}</td>
                    <td data-label="Multi-valued">{attribute.multiValued ? 'Yes' : 'No'}</td>
                    <td data-label="Description">{attribute.description || '—'}</td>
                    <td data-label="SCIM path" className="mono small-text">{attribute.path}</td>
                    <td data-label="State">{attribute.deprecated ? <Badge kind="off">Deprecated</Badge> : <Badge kind="ok">Active</Badge>}</td>
                    <td>
                      {attribute.deprecated ? (
                        <button type="button" className="secondary small" aria-label={`Restore ${attribute.name}`} onClick={() => void restore(attribute)}>
                          Restore
                        </button>
                      ) : (
                        <button type="button" className="danger small" aria-label={`Deprecate ${attribute.name}`} onClick={() => setDeprecating(attribute)}>
                          Deprecate
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
      <ConfirmDialog
        open={deprecating !== null}
        title="Deprecate this attribute?"
        confirmLabel="Deprecate attribute"
        onCancel={() => setDeprecating(null)}
        onConfirm={async () => {
          if (!deprecating) return;
          await dataOf(api.POST('/api/v1/workspaces/{slug}/custom-attributes/{name}/deprecate', { params: { path: { ...path, name: deprecating.name } } }));
          setDeprecating(null);
          list.reload();
        }}
      >
        <p>
          Identity providers can no longer set or clear <code className="mono">{deprecating?.name}</code>: values they send are ignored and listed in the audit log. Stored values stay
          readable. You can restore it later.
        </p>
      </ConfirmDialog>
    </>
  );
}
