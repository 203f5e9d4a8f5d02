/**
 * The contract document model shared by the contracts module (which builds it from templates,
 * versions, signatures and signer events) and the PDF renderer (which turns it into bytes).
 * Block text is literal: values substituted into it are never re-parsed as markup.
 */
export type ContractBlockType = 'heading' | 'subheading' | 'paragraph' | 'bullet';

export interface ContractBlock {
  type: ContractBlockType;
  /** Literal text; variable values were substituted after block parsing and are never re-parsed. */
  text: string;
}

export type PartyRole = 'LAWYER' | 'CLIENT';

export interface ContractParty {
  role: PartyRole;
  name: string;
  email: string;
}

/** A drawn signature: strokes of points in 0..width / 0..height (y grows downwards, like a canvas). */
export interface SignatureDrawing {
  width: number;
  height: number;
  strokes: [number, number][][];
}

export interface ContractPdfInput {
  /** e.g. 'C-2026-000123' */
  contractNumber: string;
  title: string;
  versionNumber: number;
  versionCreatedAt: Date;
  /** The previous version's PDF hash (chain), null for version 1. */
  previousSha256: string | null;
  parties: ContractParty[];
  blocks: ContractBlock[];
}

export interface ContractSignerEvent {
  type: 'VIEWED' | 'CONSENTED' | 'SIGNED' | 'DECLINED';
  role: PartyRole;
  name: string;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  documentSha256: string;
}

export interface ContractSignatureBlock {
  role: PartyRole;
  name: string;
  typedName: string;
  drawing: SignatureDrawing | null;
  signedAt: Date;
  ip: string | null;
  documentSha256: string;
}

export interface ExecutedPdfInput extends ContractPdfInput {
  /** Hash of the version PDF every party signed. */
  versionSha256: string;
  signatures: ContractSignatureBlock[];
  /** Chronological. */
  events: ContractSignerEvent[];
  executedAt: Date;
  /** `${PUBLIC_URL}/verify` (QR code target); the page hashes the file locally. */
  verifyUrl: string;
}
