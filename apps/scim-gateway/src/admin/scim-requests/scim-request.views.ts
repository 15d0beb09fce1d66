import { ApiProperty } from '@nestjs/swagger';

/** One SCIM request of the workspace, as the request log lists it. */
export class ScimRequestSummary {
  @ApiProperty({ description: "The request's X-Request-Id: audit entries of the request carry the same id" })
  requestId!: string;

  @ApiProperty({ format: 'date-time', description: 'When the request arrived' })
  at!: string;

  @ApiProperty({ example: 'POST' })
  method!: string;

  @ApiProperty({ example: '/scim/v2/Users', description: 'As the IdP sent it, without the query string' })
  path!: string;

  @ApiProperty({ example: 409 })
  status!: number;

  @ApiProperty({ type: String, nullable: true, example: 'SCIM_USER_CONFLICT', description: 'The product error code of a refused request' })
  errorCode!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'entra', description: 'The IdP the request looked like' })
  dialect!: string | null;

  @ApiProperty({ description: 'Time to answer, in whole milliseconds' })
  latencyMs!: number;

  @ApiProperty({ example: 'users.create', description: '<resource>.<create|get|list|search|replace|patch|delete>' })
  operation!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The SCIM user or group concerned, when known' })
  resourceId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'scim_AbCd1234', description: 'Visible prefix of the token presented' })
  tokenPrefix!: string | null;
}

export class ScimRequestDetail extends ScimRequestSummary {
  @ApiProperty({ type: String, nullable: true, description: 'The query string, secrets redacted' })
  query!: string | null;

  @ApiProperty({
    nullable: true,
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'array', items: {} }, { type: 'string' }],
    description: 'The request body as JSON with secrets replaced by "[REDACTED]"; when truncated, the first 16,384 characters of its text',
  })
  requestBody!: unknown;

  @ApiProperty({
    nullable: true,
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'array', items: {} }, { type: 'string' }],
    description: 'The response body, like requestBody',
  })
  responseBody!: unknown;

  @ApiProperty({ description: 'A body was longer than 16,384 characters and is cut' })
  truncated!: boolean;
}

export class ScimRequestPage {
  @ApiProperty({ type: [ScimRequestSummary], description: 'Newest first' })
  items!: ScimRequestSummary[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class ScimRequestStatsView {
  @ApiProperty({ description: 'SCIM requests in the last 24 hours' })
  requestsLast24h!: number;

  @ApiProperty({ description: 'Of those, answered with a 4xx or 5xx' })
  rejectionsLast24h!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the IdP last called' })
  lastRequestAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The IdP the last request looked like' })
  lastDialect!: string | null;
}
