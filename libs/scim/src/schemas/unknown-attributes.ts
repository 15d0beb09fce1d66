import { scimErrors } from '../errors/scim-error';

/**
 * What a write does with an attribute no schema of the resource defines (a key of a body, a PATCH
 * path, a sub-attribute inside a value): ignore it and report it (the lenient default: IdPs re-send
 * unmapped attributes on every sync) or refuse the request with 400 `invalidPath` naming it.
 */
export type UnknownAttributePolicy = 'ignore' | 'reject';

/** The unknown attributes of one request: collected, or the first one refused (`reject`). */
export class UnknownAttributes {
  constructor(
    readonly policy: UnknownAttributePolicy,
    /** Names as the request spelled them, each once; may be shared by several collectors. */
    readonly names: Set<string> = new Set(),
  ) {}

  /** An attribute the schema does not define: throws ScimError invalidPath under `reject`. */
  found(path: string): void {
    if (this.policy === 'reject') throw scimErrors.unknownAttribute(path);
    this.names.add(path);
  }
}
