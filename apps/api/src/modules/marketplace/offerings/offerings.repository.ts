import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Offering, OfferingFields, OfferingForSale } from './offering';

// price_minor is bigint in the table but bounded to 10^8 by its CHECK: an int is exact.
const COLUMNS = `o.id, o.lawyer_id AS "lawyerId", o.title, o.description, o.duration_minutes AS "durationMinutes",
  o.price_minor::int AS "priceMinor", o.currency, o.active, o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

/** The only place that queries `offerings`. */
@Injectable()
export class OfferingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** All of a lawyer's offerings, active first, then oldest first. */
  async listByLawyer(lawyerId: string, manager: EntityManager = this.dataSource.manager): Promise<Offering[]> {
    return manager.query(`SELECT ${COLUMNS} FROM offerings o WHERE o.lawyer_id = $1 ORDER BY o.active DESC, o.created_at, o.id`, [
      lawyerId,
    ]);
  }

  /** Active offerings of a lawyer, cheapest first (public profile). */
  async listActiveByLawyer(lawyerId: string): Promise<Offering[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM offerings o WHERE o.lawyer_id = $1 AND o.active ORDER BY o.price_minor, o.duration_minutes, o.id`,
      [lawyerId],
    );
  }

  async count(manager: EntityManager, lawyerId: string): Promise<number> {
    const rows: { n: number }[] = await manager.query('SELECT count(*)::int AS n FROM offerings WHERE lawyer_id = $1', [
      lawyerId,
    ]);
    return rows[0]?.n ?? 0;
  }

  async insert(manager: EntityManager, lawyerId: string, f: OfferingFields): Promise<Offering> {
    const rows: Offering[] = await manager.query(
      `INSERT INTO offerings AS o (lawyer_id, title, description, duration_minutes, price_minor, currency, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [lawyerId, f.title, f.description, f.durationMinutes, f.priceMinor, f.currency, f.active],
    );
    return rows[0]!;
  }

  /** Locks the caller's own offering; null when it does not exist or is someone else's. */
  async findOwnForUpdate(manager: EntityManager, lawyerId: string, id: string): Promise<Offering | null> {
    const rows: Offering[] = await manager.query(
      `SELECT ${COLUMNS} FROM offerings o WHERE o.id = $1 AND o.lawyer_id = $2 FOR UPDATE`,
      [id, lawyerId],
    );
    return rows[0] ?? null;
  }

  async update(manager: EntityManager, id: string, f: OfferingFields): Promise<Offering> {
    // UPDATE … RETURNING comes back from TypeORM as [rows, affected].
    const [rows]: [Offering[], number] = await manager.query(
      `UPDATE offerings o SET title = $2, description = $3, duration_minutes = $4, price_minor = $5, currency = $6, active = $7, updated_at = now()
        WHERE o.id = $1 RETURNING ${COLUMNS}`,
      [id, f.title, f.description, f.durationMinutes, f.priceMinor, f.currency, f.active],
    );
    return rows[0]!;
  }

  /** An active offering of a VERIFIED lawyer whose account is ACTIVE. */
  async findForSale(manager: EntityManager, id: string): Promise<OfferingForSale | null> {
    const rows: OfferingForSale[] = await manager.query(
      `SELECT o.id, o.lawyer_id AS "lawyerId", o.title, o.duration_minutes AS "durationMinutes", o.price_minor::int AS "priceMinor", o.currency
         FROM offerings o
         JOIN listed_lawyers p ON p.user_id = o.lawyer_id
        WHERE o.id = $1 AND o.active`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The shortest active duration of a lawyer (its earliest slot is the earliest of any offering), or null. */
  async shortestActiveDuration(manager: EntityManager, lawyerId: string): Promise<number | null> {
    const rows: { minutes: number | null }[] = await manager.query(
      'SELECT min(duration_minutes)::int AS minutes FROM offerings WHERE lawyer_id = $1 AND active',
      [lawyerId],
    );
    return rows[0]?.minutes ?? null;
  }
}
