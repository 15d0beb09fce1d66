// Errors
export { ScimError, scimErrors, isScimError, guardScim, SCIM_ERROR_SCHEMA, ERROR_CODE_HEADER, SCIM_ERROR_CODES } from './errors/scim-error';
export type { ScimType, ScimErrorCode, ScimErrorBody, ScimErrorInit } from './errors/scim-error';
export { validateSchemas } from './schemas/schemas-validator';

// Bulk (RFC 7644 §3.7)
export { parseBulkRequest } from './bulk/bulk-request';
export type { BulkMethod, BulkOperation, BulkRequest, RefusedBulkOperation } from './bulk/bulk-request';
export { planBulk, referencedBulkIds, unresolvableReference, withResolvedBulkIds } from './bulk/bulk-plan';
export type { BulkPlan } from './bulk/bulk-plan';

// Schemas and discovery
export * from './schemas/schema-uris';
export { defineAttribute } from './schemas/attribute-definition';
export type {
  AttributeDefinition,
  AttributeType,
  Mutability,
  Returned,
  Uniqueness,
  SchemaDefinition,
  SchemaExtensionReference,
  ResourceTypeDefinition,
} from './schemas/attribute-definition';
export {
  COMMON_ATTRIBUTES,
  USER_SCHEMA_DEFINITION,
  GROUP_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  USER_RESOURCE_TYPE,
  GROUP_RESOURCE_TYPE,
} from './schemas/core-schemas';
export { SchemaRegistry, ResourceSchema, createDefaultSchemaRegistry, findSubAttribute } from './schemas/schema-registry';
export type { ResolvedAttribute, TopLevelAttribute, ExtensionBinding } from './schemas/schema-registry';
export {
  FILTER_MAX_RESULTS,
  BULK_MAX_OPERATIONS,
  BULK_MAX_PAYLOAD_SIZE,
  buildServiceProviderConfig,
  buildSchemasDocument,
  buildSchemaDocument,
  buildSchemaResource,
  buildResourceTypesDocument,
  buildResourceTypeDocument,
  buildResourceTypeResource,
  renderAttributeDefinition,
} from './schemas/discovery-documents';
export type { ServiceProviderFeatures } from './schemas/discovery-documents';
export { isJsonObject, findKey, getProperty, getAttributeValue, jsonEqual, cloneJson } from './schemas/resource-access';
export type { JsonObject } from './schemas/resource-access';

// Filters
export type {
  FilterNode,
  CompareExpression,
  PresentExpression,
  LogicalExpression,
  NotExpression,
  ValuePathExpression,
  CompareOperator,
  FilterLiteral,
} from './filter/filter-ast';
export { findJsonProblem, findRawJsonProblem, isStorableString, MAX_ARRAY_ELEMENTS, MAX_JSON_DEPTH, MAX_OBJECT_MEMBERS, MAX_STRING_LENGTH } from './json/json-hygiene';
export type { JsonProblem } from './json/json-hygiene';
export { parseFilter, parseDateTime, FILTER_MAX_LENGTH, FILTER_MAX_DEPTH } from './filter/filter-parser';
export type { ParseFilterOptions } from './filter/filter-parser';
export { evaluateFilter, evaluateElementFilter, toPredicate } from './filter/filter-evaluator';
export { compileFilterToSql } from './filter/sql-filter-compiler';
export { DEFAULT_USER_SQL_MAPPING, DEFAULT_GROUP_SQL_MAPPING, prepareSqlMapping } from './filter/sql-mapping';
export type {
  SqlDialect,
  SqlParam,
  SqlFragment,
  SqlCompileOptions,
  SqlColumnMapping,
  SqlMultiValuedMapping,
  SqlResourceMapping,
} from './filter/sql-mapping';

// PATCH and PUT
export { applyPatch, applyPatchOperations } from './patch/patch-engine';
export type { PatchOptions, PatchResult } from './patch/patch-engine';
export { normalizePatchRequest } from './patch/patch-request';
export { assertWithinResourceLimits, INDEXED_VALUE_MAX_LENGTH, MULTI_VALUED_MAX_ELEMENTS, PATCH_MAX_OPERATIONS, RESOURCE_MAX_JSON_LENGTH } from './limits/resource-limits';
export type { PatchOperation, PatchOperationName } from './patch/patch-request';
export { parsePatchPath, isUnknownAttributePath } from './patch/patch-path';
export type { PatchTarget } from './patch/patch-path';
export { diffAttributes } from './patch/change-detection';
export { replaceResource, normalizeNewResource, normalizeReplaceRequest, readNewResource } from './put/resource-replacer';
export { UnknownAttributes } from './schemas/unknown-attributes';
export type { UnknownAttributePolicy } from './schemas/unknown-attributes';
export type { ReplaceOptions, ReplaceResult, NewResourceResult } from './put/resource-replacer';
export { valueConformsTo } from './patch/value-coercion';

// Projection
export { projectResource } from './projection/attribute-projector';
export type { ProjectionRequest } from './projection/attribute-projector';
export { buildResourceMeta, formatETag, parseETag, resourceLocation } from './projection/resource-meta';
export type { ResourceMeta, ResourceMetaInput } from './projection/resource-meta';

// Lists
export { fitPageToBudget, LIST_PAGE_MAX_JSON_LENGTH, MAX_START_INDEX, normalizePaging, toSqlPaging, paginate, parseListQuery, parseSearchRequest, buildListResponse } from './list/list-request';
export type { Paging, ListRequest, ListOptions, ListResponse } from './list/list-request';
export { resolveSortBy, parseSortOrder, sortKeyOf, createResourceComparator, compileSortToSql } from './list/sort-resolver';
export type { SortOrder } from './list/sort-resolver';
export { compileListRequestToSql } from './list/list-sql';
export type { SqlListQuery } from './list/list-sql';

// IdP dialects
export { detectDialect, classifyDialect } from './dialect/dialect-detector';
export type { ScimDialect, DialectProbe, DialectDetection } from './dialect/dialect-detector';
