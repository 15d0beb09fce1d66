/** Which IdP request shape was seen; recorded on every event and audit entry. */
export type IdpDialect = 'entra-legacy' | 'entra-2020' | 'okta' | 'onelogin' | 'jumpcloud' | 'ping' | 'rfc' | 'admin' | 'system';

/** The envelope every stored event carries besides its data (DESIGN.md §3). */
export interface EventMetadata {
  eventId: string;
  workspaceId: string;
  /** `token:<prefix>` for a SCIM token, `admin:<id>` for an admin, `operator` for the CLI. */
  actor: string;
  correlationId: string;
  causationId: string;
  occurredAt: string;
  dialect: IdpDialect;
  /** Version of the event's data schema; bump on an incompatible change and upcast on read. */
  schemaVersion: number;
}

/** An event as deciders produce it: type and data, without storage concerns. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}
