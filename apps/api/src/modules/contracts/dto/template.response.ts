import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PagedResponse } from '../../../common/http/paged.response';
import type { ContractBlock } from '../render/contract-document';
import type { TemplateVariable } from '../template-engine';
import type { TemplateRow } from '../templates.repository';

export const BLOCK_TYPES = ['heading', 'subheading', 'paragraph', 'bullet'] as const;
export const TEMPLATE_OWNERS = ['PLATFORM', 'OWN'] as const;

export class TemplateVariableResponse {
  @ApiProperty({ example: 'client_name' })
  name: string;
  @ApiProperty({ example: 'Client name' })
  label: string;
  @ApiPropertyOptional({ example: 'Full legal name of the client' })
  hint?: string;
}

/** One block of a rendered contract; `text` is literal (values are never markup). */
export class ContractBlockResponse {
  @ApiProperty({ enum: BLOCK_TYPES })
  type: (typeof BLOCK_TYPES)[number];
  @ApiProperty({ example: 'This letter is between Zofia Wójcik and Jan Kowalski.' })
  text: string;
}

export class TemplateVersionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  /** 1 for the first version; every save adds one. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  number: number;
  @ApiProperty({ example: '# Engagement letter\n\n{{clientName}} engages {{lawyerName}} for {{offeringTitle}}.' })
  body: string;
  @ApiProperty({ type: [TemplateVariableResponse] })
  variables: TemplateVariableResponse[];
  createdAt: Date;
}

export class TemplateSummaryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'Engagement letter' })
  name: string;
  @ApiProperty({ example: 'Standard engagement letter for a one-off consultation.' })
  description: string;
  /** PLATFORM: provided by the platform (admins manage it); OWN: the calling lawyer's. */
  @ApiProperty({ enum: TEMPLATE_OWNERS })
  owner: (typeof TEMPLATE_OWNERS)[number];
  /** Archived templates cannot be used for new contracts. */
  archived: boolean;
  /** The current version's number. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  versionNumber: number;
  /** The variables of the current version. */
  @ApiProperty({ type: [TemplateVariableResponse] })
  variables: TemplateVariableResponse[];
  updatedAt: Date;
}

export class TemplatePageResponse extends PagedResponse(TemplateSummaryResponse) {}

/** A template with its current version. */
export class TemplateResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'Engagement letter' })
  name: string;
  @ApiProperty({ example: 'Standard engagement letter for a one-off consultation.' })
  description: string;
  @ApiProperty({ enum: TEMPLATE_OWNERS })
  owner: (typeof TEMPLATE_OWNERS)[number];
  archived: boolean;
  @ApiProperty({ type: TemplateVersionResponse })
  version: TemplateVersionResponse;
}

export class TemplatePreviewResponse {
  @ApiProperty({ type: [ContractBlockResponse] })
  blocks: ContractBlockResponse[];
}

export function toVariableResponses(variables: TemplateVariable[]): TemplateVariableResponse[] {
  return variables.map((v) => ({ name: v.name, label: v.label, ...(v.hint ? { hint: v.hint } : {}) }));
}

export function toBlockResponses(blocks: ContractBlock[]): ContractBlockResponse[] {
  return blocks.map((b) => ({ type: b.type, text: b.text }));
}

export function toTemplateSummary(t: TemplateRow): TemplateSummaryResponse {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    owner: t.ownerId === null ? 'PLATFORM' : 'OWN',
    archived: t.archivedAt !== null,
    versionNumber: t.version.number,
    variables: toVariableResponses(t.version.variables),
    updatedAt: new Date(t.updatedAt),
  };
}

export function toTemplateResponse(t: TemplateRow): TemplateResponse {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    owner: t.ownerId === null ? 'PLATFORM' : 'OWN',
    archived: t.archivedAt !== null,
    version: {
      id: t.version.id,
      number: t.version.number,
      body: t.version.body,
      variables: toVariableResponses(t.version.variables),
      createdAt: t.version.createdAt,
    },
  };
}
