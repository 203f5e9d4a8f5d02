import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { ContractSigning, ContractsService, ContractTemplatesService, type SignerClient } from '../contracts';

/** The demo client's contracts with the demo lawyer (ids), or why there are none. */
export type DemoContracts =
  | {
      kind: 'seeded';
      /** An engagement letter both signed: its sealed PDF can be downloaded and verified. */
      executed: string;
      /** An NDA sent to the client, awaiting their signature. */
      sent: string;
      /** A fee agreement the lawyer is still drafting. */
      draft: string;
    }
  | { kind: 'skipped' | 'failed'; reason: string };

/** What the demo's signatures record as their origin (no real browser signed them). */
const DEMO_SIGNER: SignerClient = { ip: null, userAgent: 'LexMarket demo data (seeded at first start)' };

/** Values the lawyer types for the templates' variables that nothing prefills. */
const TYPED: Record<string, string> = {
  purpose: 'assessing a dispute with a former employer about unpaid overtime and the final pay slip',
  term_years: '3',
  hourly_rate: '180.00 USD per hour',
  estimate: '900.00 USD (about five hours: a demand letter and the negotiation of a settlement)',
  payment_terms: 'within 14 days of the invoice, by bank transfer',
  session_date: 'the date booked on the platform',
};

/** A hand-drawn-looking signature: a few strokes on a 400×120 pad. */
function demoDrawing(): { width: number; height: number; strokes: [number, number][][] } {
  const wave = (from: number, to: number, base: number, amp: number, freq: number): [number, number][] =>
    Array.from({ length: 24 }, (_, i) => {
      const x = from + ((to - from) * i) / 23;
      return [Math.round(x * 10) / 10, Math.round((base + amp * Math.sin((i / 23) * Math.PI * freq)) * 10) / 10];
    });
  return {
    width: 400,
    height: 120,
    strokes: [
      [
        [30, 90],
        [45, 25],
        [60, 90],
        [75, 40],
      ],
      wave(80, 250, 70, 22, 3),
      wave(250, 360, 60, 10, 1.5),
      [
        [60, 104],
        [330, 98],
      ],
    ],
  };
}

/**
 * Contracts for the demo, made through the contracts module's own services exactly as the
 * lawyer's and the client's requests would make them: an engagement letter for the scheduled
 * session, opened and signed by both (the client also draws), so it is EXECUTED with a sealed
 * PDF the verify page recognises; an NDA sent to the client, waiting for their signature; and a
 * fee agreement still in DRAFT.
 */
@Injectable()
export class DemoContractsSeeder {
  private readonly logger = new Logger(DemoContractsSeeder.name);

  constructor(
    private readonly templates: ContractTemplatesService,
    private readonly contracts: ContractsService,
    private readonly signing: ContractSigning,
  ) {}

  async seed(input: {
    client: AuthUser;
    clientName: string;
    lawyer: AuthUser;
    lawyerName: string;
    scheduledSession: string;
    paidSession: string;
  }): Promise<DemoContracts> {
    try {
      const { client, lawyer } = input;
      const engagement = await this.fromTemplate(
        lawyer,
        input.scheduledSession,
        'Engagement letter',
        'Engagement letter — unpaid overtime',
      );
      await this.contracts.send(lawyer, engagement);
      for (const [who, name, drawing] of [
        [client, input.clientName, demoDrawing()],
        [lawyer, input.lawyerName, null],
      ] as const) {
        // As the signing page does: open the current version (VIEWED), then sign its hash.
        const versionSha256 = (await this.contracts.detail(who, engagement)).current!.pdfSha256;
        await this.signing.viewed(who, engagement, versionSha256, DEMO_SIGNER);
        await this.signing.sign(who, engagement, { versionSha256, consent: true, typedName: name, drawing }, DEMO_SIGNER);
      }

      const nda = await this.fromTemplate(lawyer, input.paidSession, 'Non-disclosure', 'Mutual NDA before the severance review');
      await this.contracts.send(lawyer, nda);

      const draft = await this.fromTemplate(
        lawyer,
        input.scheduledSession,
        'Fee agreement',
        'Fee agreement — demand letter and settlement',
      );
      this.logger.log('Seeded 3 demo contracts of the demo client with the demo lawyer (executed, sent for signature, draft)');
      return { kind: 'seeded', executed: engagement, sent: nda, draft };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.logger.warn(`Demo contracts not seeded: ${reason}`);
      return { kind: 'failed', reason };
    }
  }

  /** A DRAFT from the platform template whose name starts with `prefix`, prefilled from the session, the rest typed. */
  private async fromTemplate(lawyer: AuthUser, sessionId: string, prefix: string, title: string): Promise<string> {
    const { items } = await this.templates.list(lawyer, { includeArchived: false, page: 1, pageSize: 100 });
    const template = items.find((t) => t.ownerId === null && t.name.startsWith(prefix));
    if (!template) throw new Error(`the platform template "${prefix}…" is missing`);
    const variables = await this.contracts.prefill(lawyer, sessionId, template.id);
    const values = Object.fromEntries(variables.map((v) => [v.name, v.value ?? TYPED[v.name] ?? v.label]));
    return (await this.contracts.create(lawyer, { sessionId, templateId: template.id, title, values })).contract.id;
  }
}
