/**
 * PROVISIONAL: the contract endpoints' shapes as agreed in the issue's design, typed by hand
 * until the API's OpenAPI document describes them; then these become aliases of the generated
 * schema and `ContractPaths` goes.
 */

export type ContractStatus = 'DRAFT' | 'SENT' | 'PARTIALLY_SIGNED' | 'EXECUTED' | 'DECLINED' | 'VOIDED' | 'EXPIRED';
export type PartyRole = 'LAWYER' | 'CLIENT';
export type ContractBlockType = 'heading' | 'subheading' | 'paragraph' | 'bullet';
export type SignerEventType = 'VIEWED' | 'CONSENTED' | 'SIGNED' | 'DECLINED';

export interface ContractBlock {
  type: ContractBlockType;
  text: string;
}

export interface TemplateVariable {
  name: string;
  label: string;
  hint?: string;
}

export interface TemplateSummary {
  id: string;
  name: string;
  description: string | null;
  owner: 'PLATFORM' | 'OWN';
  archived: boolean;
  versionNumber: number;
  updatedAt: string;
}

export interface TemplateDetail {
  id: string;
  name: string;
  description: string | null;
  owner: 'PLATFORM' | 'OWN';
  archived: boolean;
  version: { id: string; number: number; body: string; variables: TemplateVariable[]; createdAt: string };
}

export interface TemplateInput {
  name: string;
  description?: string;
  body: string;
  variables: TemplateVariable[];
}

export interface PreviewInput {
  body: string;
  variables: TemplateVariable[];
  values: Record<string, string>;
}

export interface PrefillVariable extends TemplateVariable {
  value: string | null;
}

export interface ContractSummary {
  id: string;
  number: string;
  title: string;
  status: ContractStatus;
  sessionId: string;
  counterpartName: string;
  awaitingMySignature: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ContractParty {
  role: PartyRole;
  userId: string;
  name: string;
  signedAt: string | null;
  declinedAt: string | null;
}

export interface ContractVersion {
  id: string;
  number: number;
  sha256: string;
  previousSha256: string | null;
  createdAt: string;
  variables: Record<string, string>;
  blocks: ContractBlock[];
}

export interface SignerEvent {
  type: SignerEventType;
  role: PartyRole;
  name: string;
  at: string;
  ip: string | null;
  userAgent: string | null;
  documentSha256: string;
}

export interface ContractDetail {
  id: string;
  number: string;
  title: string;
  status: ContractStatus;
  sessionId: string;
  /** The template it was made from (for the edit form's labels and live preview), when the API says. */
  templateId?: string | null;
  parties: ContractParty[];
  currentVersion: ContractVersion;
  versions: { id: string; number: number; sha256: string; createdAt: string }[];
  events: SignerEvent[];
  executed: { sha256: string; size: number; sealedAt: string; auditSeq: number | null } | null;
  expiresAt: string | null;
  closeReason: string | null;
  allowedActions: {
    edit: boolean;
    send: boolean;
    void: boolean;
    view: boolean;
    sign: boolean;
    decline: boolean;
    downloadExecuted: boolean;
  };
}

export interface SignatureDrawing {
  width: number;
  height: number;
  strokes: [number, number][][];
}

export interface SignInput {
  versionSha256: string;
  consent: true;
  typedName: string;
  drawing?: SignatureDrawing;
}

export interface ContractsQuery {
  status?: ContractStatus[];
  sessionId?: string;
  page?: number;
  pageSize?: number;
}

type Json<T> = { headers: Record<string, unknown>; content: { 'application/json': T } };
type Blob200 = { headers: Record<string, unknown>; content: { 'application/pdf': Blob } };
type Op<Path, Query, Body, Res> = {
  parameters: { query?: [Query] extends [never] ? never : Query; header?: never; cookie?: never } & ([Path] extends [never]
    ? { path?: never }
    : { path: Path });
  responses: { 200: Res; 201: Res };
} & ([Body] extends [never] ? { requestBody?: never } : { requestBody: { content: { 'application/json': Body } } });
type NoPath = never;
type IdPath = { id: string };

/** The contract routes in openapi-typescript's `paths` shape (for openapi-fetch). */
export interface ContractPaths {
  '/api/contract-templates': {
    get: Op<NoPath, { page?: number; pageSize?: number }, never, Json<{ items: TemplateSummary[]; total: number }>>;
    post: Op<NoPath, never, TemplateInput, Json<TemplateDetail>>;
  };
  '/api/contract-templates/preview': { post: Op<NoPath, never, PreviewInput, Json<{ blocks: ContractBlock[] }>> };
  '/api/contract-templates/{id}': { get: Op<IdPath, never, never, Json<TemplateDetail>> };
  '/api/contract-templates/{id}/versions': { post: Op<IdPath, never, TemplateInput, Json<TemplateDetail>> };
  '/api/contract-templates/{id}/archive': { post: Op<IdPath, never, never, Json<TemplateDetail>> };
  '/api/contracts/prefill': {
    get: Op<NoPath, { sessionId: string; templateId: string }, never, Json<{ variables: PrefillVariable[] }>>;
  };
  '/api/contracts': {
    get: Op<NoPath, ContractsQuery, never, Json<{ items: ContractSummary[]; total: number }>>;
    post: Op<
      NoPath,
      never,
      { sessionId: string; templateId: string; title?: string; values: Record<string, string> },
      Json<ContractDetail>
    >;
  };
  '/api/contracts/{id}': { get: Op<IdPath, never, never, Json<ContractDetail>> };
  '/api/contracts/{id}/draft': {
    put: Op<IdPath, never, { title?: string; values: Record<string, string> }, Json<ContractDetail>>;
  };
  '/api/contracts/{id}/send': { post: Op<IdPath, never, never, Json<ContractDetail>> };
  '/api/contracts/{id}/void': { post: Op<IdPath, never, { reason: string }, Json<ContractDetail>> };
  '/api/contracts/{id}/decline': { post: Op<IdPath, never, { reason: string }, Json<ContractDetail>> };
  '/api/contracts/{id}/viewed': { post: Op<IdPath, never, { versionSha256: string }, Json<ContractDetail>> };
  '/api/contracts/{id}/sign': { post: Op<IdPath, never, SignInput, Json<ContractDetail>> };
  '/api/contracts/{id}/versions/{versionId}/pdf': {
    get: Op<{ id: string; versionId: string }, never, never, Blob200>;
  };
  '/api/contracts/{id}/executed.pdf': { get: Op<IdPath, never, never, Blob200> };
}
