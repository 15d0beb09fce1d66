export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Reserved for the workspace-defined custom user extension registered at runtime. */
export const AXIS_USER_EXTENSION_SCHEMA = 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User';
export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

/**
 * What OneLogin's SCIM v2 connector template declares (real traffic: goauthentik/authentik#11249):
 * not RFC 7643 URNs, but they mean its core resource schema and the enterprise User extension.
 * SCIM 1.1's `urn:scim:schemas:core:1.0` is still refused.
 */
export const ONELOGIN_CORE_SCHEMA = 'urn:scim:schemas:core:2.0';
export const ONELOGIN_ENTERPRISE_USER_SCHEMA = 'urn:scim:schemas:extension:enterprise:2.0';
