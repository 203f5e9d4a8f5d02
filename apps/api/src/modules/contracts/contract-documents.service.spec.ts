import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { contractInput } from '../../../test/contracts/pdf-fixtures';
import type { AppConfig } from '../../config/app-config';
import type { BlobStore } from '../storage';
import { ContractDocuments } from './contract-documents.service';
import type { VersionRow } from './contracts.repository';
import type { ContractSealer } from './render/pdf-seal';

/** A blob store in memory: put replaces, like every driver. */
class MemoryBlobs {
  readonly files = new Map<string, Buffer>();
  async put(key: string, body: Buffer) {
    this.files.set(key, body);
    return { key, sha256: createHash('sha256').update(body).digest('hex'), size: body.length };
  }
  async delete(key: string) {
    this.files.delete(key);
  }
}

function documents() {
  const blobs = new MemoryBlobs();
  const dataSource = { transaction: (work: (m: EntityManager) => Promise<unknown>) => work({} as EntityManager) };
  const sealer = { seal: async (pdf: Buffer) => pdf };
  const docs = new ContractDocuments(
    dataSource as unknown as DataSource,
    blobs as unknown as BlobStore,
    sealer as unknown as ContractSealer,
    { PUBLIC_URL: 'https://lex.example' } as AppConfig,
  );
  return { docs, blobs };
}

const CONTRACT_ID = '5b0c7a4e-8a51-4c6b-9d2e-1f0a3b4c5d6e';
const input = contractInput({ versionNumber: 2 });
const version: VersionRow = {
  id: '6c1d8b5f-9b62-4d7c-8e3f-2a1b4c5d6e7f',
  contractId: CONTRACT_ID,
  number: 2,
  title: input.title,
  parties: input.parties,
  variables: {},
  content: input.blocks,
  pdfBlobKey: 'k',
  pdfSha256: 'a'.repeat(64),
  pdfSize: 1,
  previousSha256: null,
  createdAt: new Date('2026-03-01T10:00:00Z'),
  createdBy: 'u',
};
const c = { id: CONTRACT_ID, number: 'C-2026-000001' };
const at = new Date('2026-03-02T10:00:00Z');
const rollback = new Error('rolled back');

describe('ContractDocuments: a rolled-back transaction removes only its own files', () => {
  it('keeps the version PDF a concurrent save of the same number committed', async () => {
    const { docs, blobs } = documents();
    const winner = await docs.inTransaction((_m, track) => docs.storeVersionPdf(track, CONTRACT_ID, 'id-winner', input));
    let loserKey = '';
    await expect(
      docs.inTransaction(async (_m, track) => {
        loserKey = (await docs.storeVersionPdf(track, CONTRACT_ID, 'id-loser', input)).key;
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(loserKey).not.toBe(winner.key);
    expect(blobs.files.has(winner.key)).toBe(true);
    expect(blobs.files.has(loserKey)).toBe(false);
  });

  it('keeps the executed PDF a concurrent final signature committed', async () => {
    const { docs, blobs } = documents();
    const winner = await docs.inTransaction((_m, track) => docs.storeExecutedPdf(track, c, version, [], [], at));
    const committed = blobs.files.get(winner.key);
    let loserKey = '';
    await expect(
      docs.inTransaction(async (_m, track) => {
        loserKey = (await docs.storeExecutedPdf(track, c, version, [], [], at)).key;
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(loserKey).not.toBe(winner.key);
    expect(blobs.files.get(winner.key)).toBe(committed);
    expect(blobs.files.has(loserKey)).toBe(false);
  });
});
