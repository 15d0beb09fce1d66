/**
 * `/Schemas` and behaviour agree (issue #22 acceptance): the test reads the published schemas of a
 * workspace (User with the enterprise and the workspace's custom extension, Group), walks every
 * attribute and sub-attribute, builds valid values from the definitions alone, and checks each
 * claim against the server:
 * - `required: true`: a POST without it is 400 invalidValue;
 * - `mutability: readOnly`: a value sent on POST or PUT is not kept (the answer and a later GET show
 *   the server's value, not the client's), a PATCH setting it is 400 mutability;
 * - `immutable`: a PATCH (and, where a PUT can address the value, a PUT) changing it after creation
 *   is 400 mutability;
 * - `readWrite`: a PATCH replace changes it, and a GET shows the new value;
 * - `writeOnly` / `returned: never` (password): never in an answer.
 * Each `it` lists every disagreement it finds, so a failure names all of them at once.
 */
import { randomBytes } from 'node:crypto';
import { type Deployment, type DeploymentKind, startDeployment } from '../support/deployments';
import { createWorkspace, http, type HttpAnswer, type Json } from '../support/workspace-admin';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SLUG = 'schemas';

jest.setTimeout(300_000);

/** An attribute definition as `/Schemas` publishes it (RFC 7643 §7). */
interface Definition {
  name: string;
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';
  multiValued: boolean;
  required: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: Definition[];
}

/** One claim-bearing attribute: a top-level attribute, or a sub-attribute of one. */
interface Claim {
  resourceType: 'User' | 'Group';
  /** Where the attribute lives: the extension's URN, or undefined for the core schema. */
  extension: string | undefined;
  top: Definition;
  sub: Definition | undefined;
  /** The canonical path, as PATCH takes it: `name.givenName`, `urn:…:User:manager.displayName`. */
  path: string;
}

describe.each(kinds)('/Schemas and behaviour agree on %s', (kind) => {
  let deployment: Deployment;
  let scimToken: string;
  /** Resource types by name: their core schema and extensions, from /ResourceTypes. */
  const resourceTypes = new Map<string, { endpoint: string; schema: string; extensions: string[] }>();
  const schemas = new Map<string, { attributes: Definition[] }>();
  const claims: Claim[] = [];
  /** Users created up front: what a reference to a User (a member, a manager) points at. */
  const referents: Array<{ id: string; location: string }> = [];
  const run = randomBytes(3).toString('hex');
  let counter = 0;

  const scim = (method: string, path: string, body?: unknown): Promise<HttpAnswer> =>
    http(deployment.baseUrl, `/workspaces/${SLUG}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
      ...(body === undefined ? {} : { body }),
    });

  beforeAll(async () => {
    deployment = await startDeployment(kind);
    const adminKey = createWorkspace(deployment, SLUG);
    const admin = (method: string, path: string, body?: unknown) =>
      http(deployment.baseUrl, `/api/v1/workspaces/${SLUG}${path}`, { method, headers: { authorization: `Bearer ${adminKey}` }, ...(body === undefined ? {} : { body }) });
    scimToken = (await admin('POST', '/scim-tokens', { description: 'schema walk' })).json.token as string;
    // A custom extension with one attribute of each type a workspace can define, one required, one deprecated.
    for (const definition of [
      { name: 'costCode', type: 'string' },
      { name: 'seats', type: 'integer' },
      { name: 'rate', type: 'decimal' },
      { name: 'remote', type: 'boolean' },
      { name: 'startDate', type: 'dateTime' },
      { name: 'homePage', type: 'reference' },
      { name: 'tags', type: 'string', multiValued: true },
      { name: 'badge', type: 'string', required: true },
      { name: 'legacyGrade', type: 'string' },
    ]) {
      expect((await admin('POST', '/custom-attributes', definition)).status).toBe(201);
    }
    expect((await admin('POST', '/custom-attributes/legacyGrade/deprecate')).status).toBe(200);

    for (const resource of (await scim('GET', '/ResourceTypes')).json.Resources as Json[]) {
      resourceTypes.set(resource.name, { endpoint: resource.endpoint, schema: resource.schema, extensions: (resource.schemaExtensions as Json[]).map((extension) => extension.schema) });
    }
    for (const schema of (await scim('GET', '/Schemas')).json.Resources as Json[]) schemas.set(schema.id, { attributes: schema.attributes });
    for (const resourceType of ['User', 'Group'] as const) {
      const { schema, extensions } = resourceTypes.get(resourceType)!;
      for (const schemaId of [schema, ...extensions]) {
        const extension = schemaId === schema ? undefined : schemaId;
        for (const top of schemas.get(schemaId)!.attributes) {
          const prefix = extension ? `${extension}:` : '';
          claims.push({ resourceType, extension, top, sub: undefined, path: `${prefix}${top.name}` });
          for (const sub of top.subAttributes ?? []) claims.push({ resourceType, extension, top, sub, path: `${prefix}${top.name}.${sub.name}` });
        }
      }
    }
    for (let i = 0; i < 3; i++) {
      const created = await scim('POST', '/Users', userBody());
      expect(created.status).toBe(201);
      referents.push({ id: created.json.id, location: created.json.meta.location });
    }
  });
  afterAll(async () => deployment?.stop());
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${deployment.output()}\n`);
  });

  // ---- values made from the definitions ---------------------------------------------------------

  const userReference = (definition: Definition | undefined) => definition?.referenceTypes?.includes('User') ?? false;

  /**
   * A valid simple value of `definition`, new on every call; `variant` picks another one where values
   * are few (the next canonical value, then any; the other boolean; another referenced user).
   */
  function simpleValue(definition: Definition, parent?: Definition, variant = 0): unknown {
    const n = ++counter;
    const canonical = definition.canonicalValues ?? [];
    if (variant < canonical.length) return canonical[variant];
    // The `value` of a complex whose `$ref` may point at a User (a member, a manager) is that user's
    // id; the users the test creates first point at nobody.
    const referent = referents.length > 0 ? referents[variant % referents.length] : undefined;
    if (definition.name === 'value' && parent && referent && userReference(parent.subAttributes?.find((sub) => sub.name === '$ref'))) return referent.id;
    switch (definition.type) {
      case 'string':
        return `${definition.name}-${run}-${n}@example.com`;
      case 'boolean':
        return variant % 2 === 0;
      case 'integer':
        return n;
      case 'decimal':
        return n + 0.25;
      case 'dateTime':
        return new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
      case 'binary':
        return Buffer.from(`${definition.name}-${n}`).toString('base64');
      case 'reference':
        return userReference(definition) && referent ? referent.location : `https://example.com/${definition.name}/${run}/${n}`;
      default:
        throw new Error(`no simple value for ${definition.type}`);
    }
  }

  /**
   * One element: a simple value, or an object of the sub-attributes a client may write. Another
   * element differs by its value and reference, not its kind (`type` keeps its first canonical value).
   */
  function elementOf(definition: Definition, options: { withReadOnly?: boolean; variant?: number } = {}): unknown {
    if (definition.type !== 'complex') return simpleValue(definition, undefined, options.variant);
    const element: Record<string, unknown> = {};
    for (const sub of definition.subAttributes ?? []) {
      if (sub.mutability === 'readOnly' && !options.withReadOnly && definition.mutability !== 'readOnly') continue;
      element[sub.name] = simpleValue(sub, definition, sub.canonicalValues ? 0 : options.variant);
    }
    return element;
  }

  function valueOf(definition: Definition, options: { withReadOnly?: boolean; variant?: number } = {}): unknown {
    return definition.multiValued ? [elementOf(definition, options)] : elementOf(definition, options);
  }

  /** The container of an attribute in a resource body: the body, or its extension object. */
  function containerOf(body: Json, claim: Pick<Claim, 'extension'>, create = false): Json {
    if (!claim.extension) return body;
    if (create && body[claim.extension] === undefined) body[claim.extension] = {};
    return body[claim.extension];
  }

  /** A valid body of the resource type with every attribute a client may write (readOnly ones left out). */
  function bodyOf(resourceType: 'User' | 'Group', leaveOut?: Claim): Json {
    const { schema, extensions } = resourceTypes.get(resourceType)!;
    const body: Json = { schemas: [schema, ...extensions] };
    for (const claim of claims) {
      if (claim.resourceType !== resourceType || claim.sub !== undefined || claim.top.mutability === 'readOnly') continue;
      if (leaveOut && leaveOut.sub === undefined && leaveOut.path === claim.path) continue;
      let value = valueOf(claim.top);
      if (leaveOut?.sub && leaveOut.top === claim.top) value = withoutSub(value, leaveOut.sub.name);
      containerOf(body, claim, true)[claim.top.name] = value;
    }
    return body;
  }
  const userBody = () => bodyOf('User');

  function withoutSub(value: unknown, name: string): unknown {
    const drop = (element: Json) => Object.fromEntries(Object.entries(element).filter(([key]) => key !== name));
    return Array.isArray(value) ? value.map(drop) : drop(value as Json);
  }

  const endpointOf = (resourceType: string) => resourceTypes.get(resourceType)!.endpoint;

  async function create(resourceType: 'User' | 'Group', body: Json = bodyOf(resourceType)): Promise<Json> {
    const created = await scim('POST', endpointOf(resourceType), body);
    if (created.status !== 201) throw new Error(`POST ${resourceType} of a body built from /Schemas: ${created.status} ${created.text}`);
    return created.json;
  }
  const read = async (resourceType: string, id: string): Promise<Json> => (await scim('GET', `${endpointOf(resourceType)}/${id}`)).json;

  /** The values at a claim's place in a resource: one value, or the sub-attribute's value in each element. */
  function valuesAt(resource: Json, claim: Claim): unknown[] {
    const container = containerOf(resource, claim);
    const top = container?.[claim.top.name];
    if (top === undefined || top === null) return [];
    if (claim.sub === undefined) return [top];
    const elements = Array.isArray(top) ? top : [top];
    return elements.map((element: Json) => element?.[claim.sub!.name]).filter((value) => value !== undefined);
  }

  /** Whether `returned` shows `sent` (semantically: a dateTime is an instant, a complex value shows its sub-values). */
  function shows(definition: Definition, returned: unknown, sent: unknown): boolean {
    if (Array.isArray(sent)) return Array.isArray(returned) && sent.every((element) => returned.some((candidate) => shows({ ...definition, multiValued: false }, candidate, element)));
    if (definition.type === 'complex') {
      return (
        typeof returned === 'object' &&
        returned !== null &&
        Object.entries(sent as Json).every(([key, value]) => shows(definition.subAttributes!.find((sub) => sub.name === key)!, (returned as Json)[key], value))
      );
    }
    if (definition.type === 'dateTime') return typeof returned === 'string' && Date.parse(returned) === Date.parse(sent as string);
    return returned === sent;
  }

  /** A PATCH path addressing the claim in `resource`: `members[value eq "…"].display` for an element's sub-attribute. */
  function patchPathOf(claim: Claim, resource: Json): string {
    if (claim.sub === undefined || !claim.top.multiValued) return claim.path;
    const current = containerOf(resource, claim)?.[claim.top.name];
    const element = Array.isArray(current) ? current[0] : undefined;
    const key = ['value', 'type'].find((name) => element?.[name] !== undefined && typeof element[name] === 'string');
    if (!key) return claim.path;
    const prefix = claim.extension ? `${claim.extension}:` : '';
    return `${prefix}${claim.top.name}[${key} eq "${element[key]}"].${claim.sub.name}`;
  }

  /** A value of the claim's attribute other than its current one in `resource`. */
  function anotherValue(claim: Claim, resource: Json, options: { withReadOnly?: boolean } = {}): unknown {
    const current = valuesAt(resource, claim);
    for (let variant = 1; variant < 5; variant++) {
      const candidate = claim.sub ? simpleValue(claim.sub, claim.top, variant) : valueOf(claim.top, { ...options, variant });
      const definition = claim.sub ?? claim.top;
      if (!current.some((value) => shows(definition, value, candidate))) return candidate;
    }
    throw new Error(`no other value for ${claim.path}`);
  }

  const patchOf = (path: string, value: unknown) => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path, value }] });
  const describeAnswer = (answer: HttpAnswer) => `${answer.status} ${answer.json?.scimType ?? ''} ${answer.json?.detail ?? answer.text.slice(0, 200)}`.trim();

  // ---- the claims --------------------------------------------------------------------------------

  it('publishes the User (with the enterprise and custom extensions) and Group schemas, and a resource built from them is accepted', async () => {
    expect([...resourceTypes.keys()].sort()).toEqual(['Group', 'User']);
    expect(resourceTypes.get('User')!.extensions).toEqual(['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User']);
    // Every mutability and the required flag are exercised below.
    const published = new Set(claims.map((claim) => `${(claim.sub ?? claim.top).mutability}`));
    expect([...published].sort()).toEqual(['immutable', 'readOnly', 'readWrite', 'writeOnly']);
    expect(claims.filter((claim) => (claim.sub ?? claim.top).required).map((claim) => claim.path)).toEqual([
      'userName',
      'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User:badge',
      'displayName',
    ]);
    await create('User');
    await create('Group');
  });

  it('required: a POST without the attribute is 400 invalidValue', async () => {
    const disagreements: string[] = [];
    for (const claim of claims.filter((candidate) => (candidate.sub ?? candidate.top).required)) {
      const answer = await scim('POST', endpointOf(claim.resourceType), bodyOf(claim.resourceType, claim));
      if (answer.status !== 400 || answer.json?.scimType !== 'invalidValue') disagreements.push(`${claim.resourceType} ${claim.path}: POST without it → ${describeAnswer(answer)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('readOnly: a value sent on POST or PUT is not kept, a PATCH setting it is 400 mutability', async () => {
    const disagreements: string[] = [];
    for (const claim of claims.filter((candidate) => (candidate.sub ?? candidate.top).mutability === 'readOnly')) {
      const what = `${claim.resourceType} ${claim.path}`;
      // The client's value: a whole value of a readOnly attribute, or a sub-attribute inside a value it may write.
      const withClientValue = (body: Json): unknown => {
        const container = containerOf(body, claim, true);
        if (claim.sub === undefined || claim.top.mutability === 'readOnly') {
          container[claim.top.name] = valueOf(claim.top, { withReadOnly: true });
        } else {
          const elements = Array.isArray(container[claim.top.name]) ? container[claim.top.name] : [container[claim.top.name]];
          elements[0][claim.sub.name] = `client-${++counter}`;
        }
        const sent = container[claim.top.name];
        return claim.sub === undefined ? sent : (Array.isArray(sent) ? sent : [sent]).map((element: Json) => element[claim.sub!.name]);
      };
      const keptClientValue = (resource: Json, sent: unknown): boolean => {
        const definition = claim.sub ?? claim.top;
        const sentValues = claim.sub === undefined ? [sent] : (sent as unknown[]);
        return valuesAt(resource, claim).some((value) => sentValues.some((clientValue) => shows(definition, value, clientValue)));
      };

      const postBody = bodyOf(claim.resourceType);
      const postSent = withClientValue(postBody);
      const posted = await scim('POST', endpointOf(claim.resourceType), postBody);
      if (posted.status !== 201) {
        disagreements.push(`${what}: POST with a client value → ${describeAnswer(posted)}`);
        continue;
      }
      if (keptClientValue(posted.json, postSent)) disagreements.push(`${what}: POST answer shows the client's value ${JSON.stringify(postSent)}`);
      if (keptClientValue(await read(claim.resourceType, posted.json.id), postSent)) disagreements.push(`${what}: GET after POST shows the client's value`);

      const putBody = bodyOf(claim.resourceType);
      const putSent = withClientValue(putBody);
      const put = await scim('PUT', `${endpointOf(claim.resourceType)}/${posted.json.id}`, putBody);
      if (put.status !== 200) disagreements.push(`${what}: PUT with a client value → ${describeAnswer(put)}`);
      else if (keptClientValue(put.json, putSent)) disagreements.push(`${what}: PUT answer shows the client's value ${JSON.stringify(putSent)}`);
      if (keptClientValue(await read(claim.resourceType, posted.json.id), putSent)) disagreements.push(`${what}: GET after PUT shows the client's value`);

      const current = await read(claim.resourceType, posted.json.id);
      const patched = await scim('PATCH', `${endpointOf(claim.resourceType)}/${posted.json.id}`, patchOf(patchPathOf(claim, current), anotherValue(claim, current, { withReadOnly: true })));
      if (patched.status !== 400 || patched.json?.scimType !== 'mutability') disagreements.push(`${what}: PATCH replace → ${describeAnswer(patched)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('immutable: changing the value after creation is 400 mutability', async () => {
    const disagreements: string[] = [];
    for (const claim of claims.filter((candidate) => (candidate.sub ?? candidate.top).mutability === 'immutable')) {
      const what = `${claim.resourceType} ${claim.path}`;
      const created = await create(claim.resourceType);
      const current = await read(claim.resourceType, created.id);
      if (valuesAt(current, claim).length === 0) {
        disagreements.push(`${what}: not set by a POST carrying it`);
        continue;
      }
      const resourcePath = `${endpointOf(claim.resourceType)}/${created.id}`;
      const patched = await scim('PATCH', resourcePath, patchOf(patchPathOf(claim, current), anotherValue(claim, current)));
      if (patched.status !== 400 || patched.json?.scimType !== 'mutability') disagreements.push(`${what}: PATCH replace with another value → ${describeAnswer(patched)}`);
      // A PUT addresses an immutable value directly only when it is not inside an element of a
      // multi-valued attribute (whose PUT replaces the elements themselves).
      if (claim.sub === undefined || !claim.top.multiValued) {
        const body = bodyOf(claim.resourceType);
        containerOf(body, claim, true)[claim.top.name] = claim.sub === undefined ? anotherValue(claim, current) : { ...containerOf(current, claim)[claim.top.name], [claim.sub.name]: anotherValue(claim, current) };
        const put = await scim('PUT', resourcePath, body);
        if (put.status !== 400 || put.json?.scimType !== 'mutability') disagreements.push(`${what}: PUT with another value → ${describeAnswer(put)}`);
      }
      if (!shows(claim.sub ?? claim.top, valuesAt(await read(claim.resourceType, created.id), claim)[0], valuesAt(current, claim)[0])) disagreements.push(`${what}: changed after all`);
    }
    expect(disagreements).toEqual([]);
  });

  it('readWrite: a PATCH replace changes the value, and a GET shows it', async () => {
    const disagreements: string[] = [];
    for (const claim of claims.filter((candidate) => (candidate.sub ?? candidate.top).mutability === 'readWrite' && candidate.top.mutability !== 'readOnly')) {
      const what = `${claim.resourceType} ${claim.path}`;
      const created = await create(claim.resourceType);
      const current = await read(claim.resourceType, created.id);
      const value = anotherValue(claim, current);
      const patched = await scim('PATCH', `${endpointOf(claim.resourceType)}/${created.id}`, patchOf(patchPathOf(claim, current), value));
      if (patched.status !== 200 && patched.status !== 204) {
        disagreements.push(`${what}: PATCH replace with ${JSON.stringify(value)} → ${describeAnswer(patched)}`);
        continue;
      }
      const definition = claim.sub ?? claim.top;
      const after = await read(claim.resourceType, created.id);
      if (!valuesAt(after, claim).some((shown) => shows(definition, shown, value))) {
        disagreements.push(`${what}: PATCH replace with ${JSON.stringify(value)}, GET shows ${JSON.stringify(valuesAt(after, claim))}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('referenceTypes: a reference to each published resource type is accepted', async () => {
    const disagreements: string[] = [];
    const references = claims.filter(
      (claim) => claim.sub?.name === '$ref' && claim.top.mutability !== 'readOnly' && claim.top.subAttributes?.some((sub) => sub.name === 'value'),
    );
    for (const claim of references) {
      for (const referenced of claim.sub!.referenceTypes!.filter((type) => resourceTypes.has(type))) {
        const target = await create(referenced as 'User' | 'Group');
        const body = bodyOf(claim.resourceType);
        const element = { value: target.id, $ref: target.meta.location };
        containerOf(body, claim, true)[claim.top.name] = claim.top.multiValued ? [element] : element;
        const answer = await scim('POST', endpointOf(claim.resourceType), body);
        if (answer.status !== 201) disagreements.push(`${claim.resourceType} ${claim.path}: a reference to a ${referenced} → ${describeAnswer(answer)}`);
        else if (!valuesAt(answer.json, { ...claim, sub: claim.top.subAttributes!.find((sub) => sub.name === 'value') }).includes(target.id)) {
          disagreements.push(`${claim.resourceType} ${claim.path}: a reference to a ${referenced} is not kept`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    // Groups hold users only, and the schema says so.
    expect(references.map((claim) => `${claim.resourceType} ${claim.path} ${claim.sub!.referenceTypes!.join(',')}`)).toEqual([
      'User urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.$ref User',
      'Group members.$ref User',
    ]);
  });

  it('writeOnly and returned "never": the value is accepted and never answered', async () => {
    const disagreements: string[] = [];
    const claimsNeverReturned = claims.filter((claim) => (claim.sub ?? claim.top).mutability === 'writeOnly' || (claim.sub ?? claim.top).returned === 'never');
    expect(claimsNeverReturned.map((claim) => claim.path)).toEqual(['password']);
    for (const claim of claimsNeverReturned) {
      const what = `${claim.resourceType} ${claim.path}`;
      const endpoint = endpointOf(claim.resourceType);
      const created = await scim('POST', endpoint, bodyOf(claim.resourceType));
      const id = created.json.id as string;
      const answers: Array<[string, HttpAnswer]> = [
        ['POST', created],
        ['GET', await scim('GET', `${endpoint}/${id}`)],
        ['GET ?attributes', await scim('GET', `${endpoint}/${id}?attributes=${encodeURIComponent(claim.path)}`)],
        ['PUT', await scim('PUT', `${endpoint}/${id}`, bodyOf(claim.resourceType))],
        ['PATCH', await scim('PATCH', `${endpoint}/${id}?attributes=${encodeURIComponent(claim.path)}`, patchOf(claim.path, anotherValue(claim, created.json)))],
        ['list', await scim('GET', `${endpoint}?filter=${encodeURIComponent(`userName eq "${created.json.userName as string}"`)}&attributes=${encodeURIComponent(claim.path)}`)],
      ];
      for (const [request, answer] of answers) {
        if (answer.status >= 300) disagreements.push(`${what}: ${request} → ${describeAnswer(answer)}`);
        const resources: Json[] = answer.json?.Resources ?? (answer.json ? [answer.json] : []);
        if (resources.some((resource) => valuesAt(resource, claim).length > 0)) disagreements.push(`${what}: ${request} answers it`);
        if (new RegExp(`"${claim.top.name}"`, 'i').test(answer.text)) disagreements.push(`${what}: ${request} names it`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
