import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { BlobStore } from '../storage';
import type { ContractPdfInput, ContractSignatureBlock, ContractSignerEvent, ExecutedPdfInput } from './render/contract-document';
import { renderExecutedPdf, renderVersionPdf } from './render/contract-pdf';
import { ContractSealer } from './render/pdf-seal';
import type { ContractRow, SignatureRow, SignerEventRow, VersionRow } from './contracts.repository';

/** Remembers each blob a transaction stored, so that it can be removed if the transaction does not commit. */
export type TrackBlob = (key: string) => void;

export const PDF = 'application/pdf';

/** The PDF input of a version: what the party reads and signs (its bytes hash to `pdf_sha256`). */
export function versionPdfInput(
  contractNumber: string,
  v: Pick<VersionRow, 'number' | 'title' | 'createdAt' | 'previousSha256' | 'parties' | 'content'>,
): ContractPdfInput {
  return {
    contractNumber,
    title: v.title,
    versionNumber: v.number,
    versionCreatedAt: v.createdAt,
    previousSha256: v.previousSha256,
    parties: v.parties,
    blocks: v.content,
  };
}

/**
 * The contract module's files: each version's PDF, and the executed PDF (the signed version
 * with the signature blocks and the certificate page, sealed once with the platform's PDF
 * signature), rendered by ./render and kept in the blob store.
 */
@Injectable()
export class ContractDocuments {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly blobs: BlobStore,
    private readonly sealer: ContractSealer,
    private readonly config: AppConfig,
  ) {}

  /**
   * Runs `work` in a transaction; blobs it stored (`track`) are removed again if the
   * transaction does not commit, so a failed save or signature leaves no orphan files. Safe
   * because every key is new (a version's id, a random executed name): a blob store put
   * replaces, so a shared key would let a loser's clean-up delete a winner's committed file.
   */
  async inTransaction<T>(work: (m: EntityManager, track: TrackBlob) => Promise<T>): Promise<T> {
    const stored: string[] = [];
    try {
      return await this.dataSource.transaction((m) => work(m, (key) => stored.push(key)));
    } catch (e) {
      await Promise.all(stored.map((key) => this.blobs.delete(key).catch(() => undefined)));
      throw e;
    }
  }

  /**
   * Renders and stores a version's PDF; its key, SHA-256 and size. The key names the version's
   * id, not its number: two racing saves both compute number n, and the loser's clean-up
   * (inTransaction) must never delete the file the winner's committed row points to.
   */
  async storeVersionPdf(
    track: TrackBlob,
    contractId: string,
    versionId: string,
    input: ContractPdfInput,
  ): Promise<{ key: string; sha256: string; size: number }> {
    const pdf = await renderVersionPdf(input);
    const key = `contracts/${contractId}/versions/${versionId}.pdf`;
    track(key);
    const stored = await this.blobs.put(key, pdf, { contentType: PDF });
    return { key, sha256: stored.sha256, size: stored.size };
  }

  /**
   * Renders the executed PDF of the signed version, seals it and stores it; its key, SHA-256
   * and size. The seal signs the whole file, so any later change of a byte breaks it.
   */
  async storeExecutedPdf(
    track: TrackBlob,
    c: Pick<ContractRow, 'id' | 'number'>,
    v: VersionRow,
    signatures: SignatureRow[],
    events: SignerEventRow[],
    executedAt: Date,
  ): Promise<{ key: string; sha256: string; size: number }> {
    const nameOf = (role: string) => v.parties.find((p) => p.role === role)?.name ?? role;
    const input: ExecutedPdfInput = {
      ...versionPdfInput(c.number, v),
      versionSha256: v.pdfSha256,
      signatures: signatures.map((s): ContractSignatureBlock => ({
        role: s.role,
        name: nameOf(s.role),
        typedName: s.typedName,
        drawing: s.drawing,
        signedAt: new Date(s.signedAt),
        ip: s.ip,
        documentSha256: s.documentSha256,
      })),
      events: events.map((e): ContractSignerEvent => ({
        type: e.type,
        role: e.role,
        name: nameOf(e.role),
        at: new Date(e.at),
        ip: e.ip,
        userAgent: e.userAgent,
        documentSha256: e.documentSha256,
      })),
      executedAt,
      verifyUrl: `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/verify`,
    };
    const sealed = await this.sealer.seal(await renderExecutedPdf(input), {
      signedAt: executedAt,
      reason: `Executed contract ${c.number}`,
    });
    // Unique per attempt: concurrent final signatures each render one; only the committed
    // execution row's key survives, the others' clean-up removes only their own file.
    const key = `contracts/${c.id}/executed-${randomUUID()}.pdf`;
    track(key);
    const stored = await this.blobs.put(key, sealed, { contentType: PDF });
    return { key, sha256: stored.sha256, size: stored.size };
  }

  open(key: string) {
    return this.blobs.get(key);
  }
}
