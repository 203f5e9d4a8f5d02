import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { IsOmittable } from '../../../common/validation/omittable';
import { MaxChars } from '../../../common/validation/max-chars';
import { MAX_BODY_CHARS, MAX_VALUE_CHARS, MAX_VARIABLES, VARIABLE_NAME } from '../template-engine';
import { IsVariableValues } from './variable-values.validator';

export const MAX_TEMPLATE_NAME = 200;
export const MAX_TEMPLATE_DESCRIPTION = 1000;
export const MAX_VARIABLE_LABEL = 200;
export const MAX_VARIABLE_HINT = 500;

const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class TemplateVariableDto {
  /** Used in the body as `{{name}}`: a–z, 0–9 and _, starting with a letter. */
  @ApiProperty({ pattern: VARIABLE_NAME.source, example: 'client_name' })
  @IsString()
  @Matches(VARIABLE_NAME, {
    message: 'name must be lower-case letters, digits and _, starting with a letter, at most 48 characters',
  })
  name: string;

  /** What the form shows for it. */
  @ApiProperty({ minLength: 1, maxLength: MAX_VARIABLE_LABEL, example: 'Client name' })
  @IsString()
  @Matches(/\S/, { message: 'label must not be blank' })
  @MaxChars(MAX_VARIABLE_LABEL)
  label: string;

  /** Help shown under the field. */
  @ApiPropertyOptional({ maxLength: MAX_VARIABLE_HINT, example: 'Full legal name of the client' })
  @IsOmittable()
  @IsString()
  @MaxChars(MAX_VARIABLE_HINT)
  hint?: string;
}

const BODY_EXAMPLE = '# Engagement letter\n\nThis letter is between {{client_name}} and {{lawyer_name}}.\n\n- Fee: {{fee}}';

export class SaveTemplateDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_TEMPLATE_NAME, example: 'Engagement letter' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxChars(MAX_TEMPLATE_NAME)
  name: string;

  @ApiPropertyOptional({ maxLength: MAX_TEMPLATE_DESCRIPTION, example: 'For a first consultation' })
  @IsOmittable()
  @IsString()
  @MaxChars(MAX_TEMPLATE_DESCRIPTION)
  description?: string;

  /**
   * The text: `{{variable}}` tags only (no sections, partials or unescaped tags); lines starting
   * with `# ` are headings, `## ` subheadings, `- ` bullets; a blank line separates paragraphs.
   */
  @ApiProperty({ minLength: 1, maxLength: MAX_BODY_CHARS, example: BODY_EXAMPLE })
  @IsString()
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxChars(MAX_BODY_CHARS)
  body: string;

  /** Every variable the body uses must be declared here (else 400 TEMPLATE_VARIABLES_UNDECLARED with the names). */
  @ApiProperty({ type: [TemplateVariableDto], maxItems: MAX_VARIABLES })
  @IsArray()
  @ArrayMaxSize(MAX_VARIABLES)
  @ValidateNested({ each: true })
  @Type(() => TemplateVariableDto)
  variables: TemplateVariableDto[];
}

export class PreviewTemplateDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_BODY_CHARS, example: BODY_EXAMPLE })
  @IsString()
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxChars(MAX_BODY_CHARS)
  body: string;

  @ApiProperty({ type: [TemplateVariableDto], maxItems: MAX_VARIABLES })
  @IsArray()
  @ArrayMaxSize(MAX_VARIABLES)
  @ValidateNested({ each: true })
  @Type(() => TemplateVariableDto)
  variables: TemplateVariableDto[];

  /** A value for every variable the body uses (each at most 4000 characters). */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MAX_VALUE_CHARS },
    example: { client_name: 'Zofia Wójcik', lawyer_name: 'Jan Kowalski', fee: '250.00 PLN' },
  })
  @IsObject()
  @IsVariableValues()
  values: Record<string, string>;
}

export class ListTemplatesQueryDto extends PageQueryDto {
  /** Also list archived templates (default: only those usable for new contracts). */
  @ApiPropertyOptional({ type: Boolean, default: false })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  includeArchived: boolean = false;
}
