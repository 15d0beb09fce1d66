import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CUSTOM_ATTRIBUTE_LIMITS, CUSTOM_ATTRIBUTE_NAME_PATTERN, CUSTOM_ATTRIBUTE_TYPES, type CustomAttributeType } from '@axis/domain';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** The fields of a definition besides its name and type, every one optional. */
class CustomAttributeFieldsDto {
  @ApiPropertyOptional({ description: 'A list of values (e.g. ["a","b"]); refused (409) when stored values do not fit', default: false })
  @IsOptional()
  @IsBoolean()
  multiValued?: boolean;

  @ApiPropertyOptional({ description: 'Compare string values case-sensitively in filters', default: false })
  @IsOptional()
  @IsBoolean()
  caseExact?: boolean;

  @ApiPropertyOptional({ description: 'POST and PUT /Users must carry a value', default: false })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Suggested values, advertised in /Schemas (not enforced; string and reference only)', default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(CUSTOM_ATTRIBUTE_LIMITS.canonicalValues)
  @IsString({ each: true })
  @MaxLength(CUSTOM_ATTRIBUTE_LIMITS.canonicalValueLength, { each: true })
  canonicalValues?: string[];

  @ApiPropertyOptional({ default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(CUSTOM_ATTRIBUTE_LIMITS.descriptionLength)
  description?: string;
}

/** PATCH: the fields to change. */
export class ChangeCustomAttributeDto extends CustomAttributeFieldsDto {
  @ApiPropertyOptional({ enum: CUSTOM_ATTRIBUTE_TYPES, description: 'Refused (409) when a stored value does not satisfy the new type' })
  @IsOptional()
  @IsIn(CUSTOM_ATTRIBUTE_TYPES)
  type?: CustomAttributeType;
}

/** PUT: the whole definition; fields left out go back to their defaults. */
export class ReplaceCustomAttributeDto extends CustomAttributeFieldsDto {
  @ApiProperty({ enum: CUSTOM_ATTRIBUTE_TYPES, description: 'Refused (409) when a stored value does not satisfy the new type' })
  @IsIn(CUSTOM_ATTRIBUTE_TYPES)
  type!: CustomAttributeType;
}

export class AddCustomAttributeDto extends ReplaceCustomAttributeDto {
  @ApiProperty({ example: 'costCode', description: `The attribute name IdP mappings target (${CUSTOM_ATTRIBUTE_NAME_PATTERN.source}); not a core or enterprise User attribute name` })
  @IsString()
  @Matches(CUSTOM_ATTRIBUTE_NAME_PATTERN, { message: `name must match ${CUSTOM_ATTRIBUTE_NAME_PATTERN.source}` })
  name!: string;
}

export class CustomAttributeView {
  @ApiProperty({ example: 'costCode' })
  name!: string;

  @ApiProperty({ example: 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User:costCode', description: 'What to enter as the target attribute in the IdP mapping' })
  path!: string;

  @ApiProperty({ enum: CUSTOM_ATTRIBUTE_TYPES })
  type!: CustomAttributeType;

  @ApiProperty()
  multiValued!: boolean;

  @ApiProperty()
  caseExact!: boolean;

  @ApiProperty()
  required!: boolean;

  @ApiProperty({ type: [String] })
  canonicalValues!: string[];

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'No new values accepted (sent values are ignored and listed in the audit log); stored values stay readable' })
  deprecated!: boolean;
}

export class CustomAttributeList {
  @ApiProperty({ example: 'urn:ietf:params:scim:schemas:extension:axissynapse:2.0:User' })
  schema!: string;

  @ApiProperty({ type: [CustomAttributeView] })
  items!: CustomAttributeView[];
}
