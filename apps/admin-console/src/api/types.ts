/**
 * Short names for the generated schemas the screens use. Only aliases: every shape comes from
 * `schema.d.ts`, generated from the gateway's OpenAPI document (`npm run -s generate:api`).
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type ConsoleSessionView = Schemas['ConsoleSessionView'];
export type AdminKeyView = Schemas['AdminKeyView'];
export type ScimTokenView = Schemas['ScimTokenView'];
export type CreatedScimToken = Schemas['CreatedScimToken'];
export type ScimConnectionView = Schemas['ScimConnectionView'];
export type ScimChecklistStepName = Schemas['ScimChecklistStepName'];
export type MemberView = Schemas['MemberView'];
export type MemberDetailView = Schemas['MemberDetailView'];
export type MemberHistoryItem = Schemas['MemberHistoryItem'];
export type MemberHistoryPage = Schemas['MemberHistoryPage'];
export type AuditEntryView = Schemas['AuditEntryView'];
export type AuditPageView = Schemas['AuditPageView'];
export type ScimRequestSummary = Schemas['ScimRequestSummary'];
export type ScimRequestPage = Schemas['ScimRequestPage'];
export type ScimRequestDetail = Schemas['ScimRequestDetail'];
export type WebhookView = Schemas['WebhookView'];
export type CreatedWebhookView = Schemas['CreatedWebhookView'];
export type WebhookDeliveryView = Schemas['WebhookDeliveryView'];
export type CustomAttributeView = Schemas['CustomAttributeView'];
export type RoleMappingView = Schemas['RoleMappingView'];
