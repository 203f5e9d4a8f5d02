import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { TemplateVariable } from './template-engine';

export interface TemplateVersionRow {
  id: string;
  templateId: string;
  number: number;
  name: string;
  body: string;
  variables: TemplateVariable[];
  createdAt: Date;
  createdBy: string | null;
}

/** A template with its current (newest) version. */
export interface TemplateRow {
  id: string;
  /** null: a platform template. */
  ownerId: string | null;
  name: string;
  description: string;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: TemplateVersionRow;
}

/** Which templates a caller sees: a lawyer the platform's and their own, an admin the platform's. */
export type TemplateScope = { kind: 'lawyer'; lawyerId: string } | { kind: 'platform' };

const TEMPLATE_SELECT = `
  SELECT t.id, t.owner_id AS "ownerId", t.name, t.description, t.archived_at AS "archivedAt",
         t.created_at AS "createdAt", t.updated_at AS "updatedAt",
         json_build_object('id', v.id, 'templateId', v.template_id, 'number', v.number, 'name', v.name, 'body', v.body,
                           'variables', v.variables, 'createdAt', v.created_at, 'createdBy', v.created_by) AS version
    FROM contract_templates t
    JOIN LATERAL (SELECT * FROM contract_template_versions cv WHERE cv.template_id = t.id ORDER BY cv.number DESC LIMIT 1) v ON true`;

const SCOPE = `(($1::uuid IS NULL AND t.owner_id IS NULL) OR ($1::uuid IS NOT NULL AND (t.owner_id IS NULL OR t.owner_id = $1::uuid)))`;

function scopeParam(scope: TemplateScope): string | null {
  return scope.kind === 'lawyer' ? scope.lawyerId : null;
}

function toRow(r: TemplateRow & { version: Omit<TemplateVersionRow, 'createdAt'> & { createdAt: string } }): TemplateRow {
  return { ...r, version: { ...r.version, createdAt: new Date(r.version.createdAt) } };
}

/**
 * The only place that queries `contract_templates` and `contract_template_versions` (versions
 * are append-only: a change of a template is a new version).
 */
@Injectable()
export class TemplatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(
    scope: TemplateScope,
    filter: { includeArchived: boolean; page: number; pageSize: number },
  ): Promise<{ items: TemplateRow[]; total: number }> {
    const params = [scopeParam(scope), filter.includeArchived];
    const where = `WHERE ${SCOPE} AND ($2::boolean OR t.archived_at IS NULL)`;
    const [items, counts] = await Promise.all([
      this.dataSource.query(
        `${TEMPLATE_SELECT} ${where}
          ORDER BY (t.owner_id IS NULL) DESC, t.name, t.id
          LIMIT $3 OFFSET $4`,
        [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM contract_templates t ${where}`, params) as Promise<
        { total: number }[]
      >,
    ]);
    return { items: (items as Parameters<typeof toRow>[0][]).map(toRow), total: counts[0]?.total ?? 0 };
  }

  /** A template the scope sees, with its current version; `lock` holds the template row until the transaction ends. */
  async find(
    manager: EntityManager | null,
    id: string,
    scope: TemplateScope,
    opts: { lock?: boolean } = {},
  ): Promise<TemplateRow | null> {
    const m = manager ?? this.dataSource.manager;
    if (opts.lock) await m.query(`SELECT 1 FROM contract_templates WHERE id = $1 FOR UPDATE`, [id]);
    const rows: Parameters<typeof toRow>[0][] = await m.query(`${TEMPLATE_SELECT} WHERE t.id = $2 AND ${SCOPE}`, [
      scopeParam(scope),
      id,
    ]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async version(manager: EntityManager, versionId: string): Promise<TemplateVersionRow | null> {
    const rows: TemplateVersionRow[] = await manager.query(
      `SELECT id, template_id AS "templateId", number, name, body, variables, created_at AS "createdAt", created_by AS "createdBy"
         FROM contract_template_versions WHERE id = $1`,
      [versionId],
    );
    return rows[0] ?? null;
  }

  async insertTemplate(
    manager: EntityManager,
    t: { ownerId: string | null; name: string; description: string; createdBy: string; at: Date },
  ): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO contract_templates (owner_id, name, description, created_at, created_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $4) RETURNING id`,
      [t.ownerId, t.name, t.description, t.at, t.createdBy],
    );
    return rows[0]!.id;
  }

  /** Appends version `number` and makes its name (and the description, when given) the template's. */
  async insertVersion(
    manager: EntityManager,
    v: {
      templateId: string;
      number: number;
      name: string;
      /** Undefined: the template keeps its description. */
      description: string | undefined;
      body: string;
      variables: TemplateVariable[];
      createdBy: string;
      at: Date;
    },
  ): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO contract_template_versions (template_id, number, name, body, variables, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [v.templateId, v.number, v.name, v.body, JSON.stringify(v.variables), v.at, v.createdBy],
    );
    await manager.query(
      `UPDATE contract_templates SET name = $2, description = COALESCE($3, description), updated_at = $4 WHERE id = $1`,
      [v.templateId, v.name, v.description ?? null, v.at],
    );
    return rows[0]!.id;
  }

  async archive(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(`UPDATE contract_templates SET archived_at = $2, updated_at = $2 WHERE id = $1 AND archived_at IS NULL`, [
      id,
      at,
    ]);
  }
}
