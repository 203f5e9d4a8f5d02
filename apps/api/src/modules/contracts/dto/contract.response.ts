import { ApiProperty } from '@nestjs/swagger';
import { PagedResponse } from '../../../common/http/paged.response';
import { CONTRACT_STATUSES, PARTY_ROLES, type ContractStatus } from '../contract-rules';
import type { ContractDetail, ContractListItem } from '../contracts.service';
import type { PartyRole } from '../render/contract-document';
import type { TemplateVariable } from '../template-engine';
import { ContractBlockResponse, TemplateVariableResponse, toBlockResponses } from './template.response';

export const SIGNER_EVENT_TYPES = ['VIEWED', 'CONSENTED', 'SIGNED', 'DECLINED'] as const;

export class ContractPartyResponse {
  @ApiProperty({ enum: PARTY_ROLES })
  role: PartyRole;
  @ApiProperty({ format: 'uuid' })
  userId: string;
  /** As printed on the current version. */
  @ApiProperty({ example: 'Maria López' })
  name: string;
  /** When this party signed the current version, or null. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  signedAt: Date | null;
  /** When this party declined, or null. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  declinedAt: Date | null;
}

export class ContractVersionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ type: 'integer', minimum: 1 })
  number: number;
  /** SHA-256 (hex) of this version's PDF: what a signature binds. */
  sha256: string;
  createdAt: Date;
}

export class ContractCurrentVersionResponse extends ContractVersionResponse {
  /** The previous version's PDF SHA-256 (the chain), null for version 1. */
  @ApiProperty({ type: String, nullable: true })
  previousSha256: string | null;
  /** The values the version was rendered with. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { client_name: 'Zofia Wójcik' } })
  variables: Record<string, string>;
  @ApiProperty({ type: [ContractBlockResponse] })
  blocks: ContractBlockResponse[];
}

export class ContractEventResponse {
  @ApiProperty({ enum: SIGNER_EVENT_TYPES })
  type: (typeof SIGNER_EVENT_TYPES)[number];
  @ApiProperty({ enum: PARTY_ROLES })
  role: PartyRole;
  @ApiProperty({ example: 'Maria López' })
  name: string;
  /** UTC instant. */
  at: Date;
  @ApiProperty({ example: '203.0.113.24', type: String, nullable: true })
  ip: string | null;
  @ApiProperty({
    example: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15',
    type: String,
    nullable: true,
  })
  userAgent: string | null;
  /** The version PDF's SHA-256 the event concerns. */
  documentSha256: string;
}

export class ContractExecutedResponse {
  /** SHA-256 of the sealed executed PDF (check a copy at /verify). */
  sha256: string;
  @ApiProperty({ type: 'integer' })
  size: number;
  sealedAt: Date;
  /** Seq of the `contract.executed` audit entry. */
  @ApiProperty({ type: 'integer' })
  auditSeq: number;
}

export class ContractActionsResponse {
  /** Save a new draft version (the lawyer, DRAFT). */
  edit: boolean;
  send: boolean;
  void: boolean;
  /** Record opening the current version (needed once before signing it). */
  view: boolean;
  sign: boolean;
  decline: boolean;
  downloadExecuted: boolean;
}

export class ContractResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'C-2026-000123' })
  number: string;
  @ApiProperty({ example: 'Engagement letter' })
  title: string;
  @ApiProperty({ enum: CONTRACT_STATUSES })
  status: ContractStatus;
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  /** The template the contract was made from (its version's template): the draft editor previews with it. */
  @ApiProperty({ format: 'uuid' })
  templateId: string;
  /** The caller's side, null for an admin. */
  @ApiProperty({ enum: PARTY_ROLES, nullable: true })
  yourRole: PartyRole | null;
  @ApiProperty({ type: [ContractPartyResponse] })
  parties: ContractPartyResponse[];
  @ApiProperty({ type: ContractCurrentVersionResponse })
  currentVersion: ContractCurrentVersionResponse;
  /** Every version, oldest first. */
  @ApiProperty({ type: [ContractVersionResponse] })
  versions: ContractVersionResponse[];
  /** Every signer event, in order. */
  @ApiProperty({ type: [ContractEventResponse] })
  events: ContractEventResponse[];
  @ApiProperty({ type: ContractExecutedResponse, nullable: true })
  executed: ContractExecutedResponse | null;
  createdAt: Date;
  updatedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt: Date | null;
  /** The signing deadline once sent. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  executedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt: Date | null;
  /** Why it was voided or declined, or that it expired. */
  @ApiProperty({ example: 'Voided by the lawyer: superseded by a new draft', type: String, nullable: true })
  closeReason: string | null;
  @ApiProperty({ type: ContractActionsResponse })
  allowedActions: ContractActionsResponse;
}

export class ContractPartySummaryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'Maria López' })
  name: string;
}

export class ContractSummaryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'C-2026-000123' })
  number: string;
  @ApiProperty({ example: 'Engagement letter' })
  title: string;
  @ApiProperty({ enum: CONTRACT_STATUSES })
  status: ContractStatus;
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  @ApiProperty({ type: ContractPartySummaryResponse })
  lawyer: ContractPartySummaryResponse;
  @ApiProperty({ type: ContractPartySummaryResponse })
  client: ContractPartySummaryResponse;
  @ApiProperty({ enum: PARTY_ROLES, nullable: true })
  yourRole: PartyRole | null;
  /** Who signed the current version. */
  @ApiProperty({ enum: PARTY_ROLES, isArray: true })
  signedBy: PartyRole[];
  /** Signable now and the caller's signature is missing. */
  awaitingYourSignature: boolean;
  /** SHA-256 of the sealed executed PDF, once executed. */
  @ApiProperty({ type: String, nullable: true })
  executedSha256: string | null;
  createdAt: Date;
  updatedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  executedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt: Date | null;
}

export class ContractPageResponse extends PagedResponse(ContractSummaryResponse) {}

export class PrefillVariableResponse extends TemplateVariableResponse {
  /** Filled from the session and the profiles, or null (the lawyer types it). */
  @ApiProperty({ example: 'Maria López', type: String, nullable: true })
  value: string | null;
}

export class ContractPrefillResponse {
  @ApiProperty({ type: [PrefillVariableResponse] })
  variables: PrefillVariableResponse[];
}

export function toPrefillResponse(variables: (TemplateVariable & { value: string | null })[]): ContractPrefillResponse {
  return {
    variables: variables.map((v) => ({ name: v.name, label: v.label, ...(v.hint ? { hint: v.hint } : {}), value: v.value })),
  };
}

export function toContractSummary(c: ContractListItem): ContractSummaryResponse {
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    status: c.status,
    sessionId: c.sessionId,
    lawyer: { id: c.lawyerId, name: c.lawyerName },
    client: { id: c.clientId, name: c.clientName },
    yourRole: c.role,
    signedBy: c.signedRoles,
    awaitingYourSignature: c.awaitingYourSignature,
    executedSha256: c.executedSha256,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    sentAt: c.sentAt,
    expiresAt: c.expiresAt,
    executedAt: c.executedAt,
    closedAt: c.closedAt,
  };
}

export function toContractResponse(d: ContractDetail): ContractResponse {
  const { contract: c, current } = d;
  if (!current) throw new Error(`contract ${c.id} has no current version`);
  const nameOf = (role: PartyRole) =>
    current.parties.find((p) => p.role === role)?.name ?? (role === 'LAWYER' ? c.lawyerName : c.clientName);
  const declined = (role: PartyRole) => d.events.find((e) => e.type === 'DECLINED' && e.role === role)?.at ?? null;
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    status: c.status,
    sessionId: c.sessionId,
    templateId: c.templateId,
    yourRole: d.role,
    parties: PARTY_ROLES.map((role) => ({
      role,
      userId: role === 'LAWYER' ? c.lawyerId : c.clientId,
      name: nameOf(role),
      signedAt: d.signatures.find((s) => s.role === role)?.signedAt ?? null,
      declinedAt: declined(role),
    })),
    currentVersion: {
      id: current.id,
      number: current.number,
      sha256: current.pdfSha256,
      previousSha256: current.previousSha256,
      createdAt: current.createdAt,
      variables: current.variables,
      blocks: toBlockResponses(current.content),
    },
    versions: d.versions.map((v) => ({ id: v.id, number: v.number, sha256: v.pdfSha256, createdAt: v.createdAt })),
    events: d.events.map((e) => ({
      type: e.type,
      role: e.role,
      name: nameOf(e.role),
      at: e.at,
      ip: e.ip,
      userAgent: e.userAgent,
      documentSha256: e.documentSha256,
    })),
    executed: d.execution
      ? { sha256: d.execution.sha256, size: d.execution.size, sealedAt: d.execution.sealedAt, auditSeq: d.execution.auditSeq }
      : null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    sentAt: c.sentAt,
    expiresAt: c.expiresAt,
    executedAt: c.executedAt,
    closedAt: c.closedAt,
    closeReason: c.closeReason,
    allowedActions: d.actions,
  };
}
