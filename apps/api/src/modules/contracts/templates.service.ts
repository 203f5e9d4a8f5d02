import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { Forbidden } from '../../common/auth/auth.errors';
import { ValidationFailed } from '../../common/errors/common.errors';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit';
import type { ContractBlock } from './render/contract-document';
import { TemplateArchived, TemplateNotFound } from './contracts.errors';
import { assertDeclared, normalizeBody, parseTemplate, renderBody, type TemplateVariable } from './template-engine';
import { TemplatesRepository, type TemplateRow, type TemplateScope, type TemplateVersionRow } from './templates.repository';

export interface TemplateInput {
  name: string;
  description?: string;
  body: string;
  variables: TemplateVariable[];
}

/** What a caller sees of a template: the platform's (managed by admins) or the lawyer's own. */
export function scopeOf(actor: AuthUser): TemplateScope {
  return actor.role === 'LAWYER' ? { kind: 'lawyer', lawyerId: actor.id } : { kind: 'platform' };
}

/**
 * Contract templates: the platform's (admins create and version them) and each lawyer's own.
 * A template's body and variables are never edited in place: each save is a new immutable
 * version, and a contract keeps the version it was made from. Archiving hides a template from
 * new contracts; contracts made from it are unaffected.
 */
@Injectable()
export class ContractTemplatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: TemplatesRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(actor: AuthUser, filter: { includeArchived: boolean; page: number; pageSize: number }) {
    return this.repo.list(scopeOf(actor), filter);
  }

  async get(actor: AuthUser, id: string): Promise<TemplateRow> {
    const template = await this.repo.find(null, id, scopeOf(actor));
    if (!template) throw new TemplateNotFound();
    return template;
  }

  /** A lawyer's own template, or (an admin) a platform template; version 1. */
  async create(actor: AuthUser, input: TemplateInput): Promise<TemplateRow> {
    const clean = checkTemplate(input);
    const id = await this.dataSource.transaction(async (m) => {
      const at = this.clock.now();
      const templateId = await this.repo.insertTemplate(m, {
        ownerId: actor.role === 'LAWYER' ? actor.id : null,
        name: clean.name,
        description: clean.description ?? '',
        createdBy: actor.id,
        at,
      });
      const versionId = await this.repo.insertVersion(m, { ...clean, templateId, number: 1, createdBy: actor.id, at });
      // audit: contract_template.created
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract_template.created',
        subjectType: 'contract_template',
        subjectId: templateId,
        payload: {
          owner: actor.role === 'LAWYER' ? 'LAWYER' : 'PLATFORM',
          versionId,
          number: 1,
          name: clean.name,
          variables: clean.variables.map((v) => v.name),
        },
      });
      return templateId;
    });
    return this.get(actor, id);
  }

  /** A new version of a template the caller manages (its owner, or an admin for a platform template). */
  async addVersion(actor: AuthUser, id: string, input: TemplateInput): Promise<TemplateRow> {
    const clean = checkTemplate(input);
    await this.dataSource.transaction(async (m) => {
      const template = await this.managed(m, actor, id);
      const number = template.version.number + 1;
      const at = this.clock.now();
      const versionId = await this.repo.insertVersion(m, { ...clean, templateId: id, number, createdBy: actor.id, at });
      // audit: contract_template.versioned
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract_template.versioned',
        subjectType: 'contract_template',
        subjectId: id,
        payload: { versionId, number, name: clean.name, variables: clean.variables.map((v) => v.name) },
      });
    });
    return this.get(actor, id);
  }

  /** Hides the template from new contracts (idempotent); its versions and contracts stay. */
  async archive(actor: AuthUser, id: string): Promise<TemplateRow> {
    await this.dataSource.transaction(async (m) => {
      const template = await this.managed(m, actor, id, { allowArchived: true });
      if (template.archivedAt) return;
      await this.repo.archive(m, id, this.clock.now());
      // audit: contract_template.archived
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'contract_template.archived',
        subjectType: 'contract_template',
        subjectId: id,
        payload: { name: template.name, number: template.version.number },
      });
    });
    return this.get(actor, id);
  }

  /** The blocks a body renders to with these values (same rules and errors as a contract). */
  preview(input: { body: string; variables: TemplateVariable[]; values: Record<string, string> }): ContractBlock[] {
    assertUniqueNames(input.variables);
    return renderBody(input.body, input.variables, input.values).blocks;
  }

  /**
   * The current version of a template the lawyer may use for a contract: a platform template or
   * their own, not archived.
   */
  async usableVersion(m: EntityManager, lawyer: AuthUser, templateId: string): Promise<TemplateVersionRow> {
    const template = await this.repo.find(m, templateId, { kind: 'lawyer', lawyerId: lawyer.id });
    if (!template) throw new TemplateNotFound();
    if (template.archivedAt) throw new TemplateArchived();
    return template.version;
  }

  /** The exact template version a contract was made from. */
  async versionOf(m: EntityManager, versionId: string): Promise<TemplateVersionRow> {
    const version = await this.repo.version(m, versionId);
    if (!version) throw new Error(`template version ${versionId} is missing`);
    return version;
  }

  /** Locks a template the caller manages; 404 when they cannot see it, 403 when they see it but do not own it. */
  private async managed(
    m: EntityManager,
    actor: AuthUser,
    id: string,
    opts: { allowArchived?: boolean } = {},
  ): Promise<TemplateRow> {
    const template = await this.repo.find(m, id, scopeOf(actor), { lock: true });
    if (!template) throw new TemplateNotFound();
    const owns = actor.role === 'LAWYER' ? template.ownerId === actor.id : template.ownerId === null;
    if (!owns) throw new Forbidden('Only the owner of a template can change it; platform templates are managed by admins');
    if (template.archivedAt && !opts.allowArchived) throw new TemplateArchived();
    return template;
  }
}

/** The template as stored: body normalized and parsed, every used variable declared, names unique. */
function checkTemplate(
  input: TemplateInput,
): Required<Pick<TemplateInput, 'name' | 'body' | 'variables'>> & { description: string | undefined } {
  assertUniqueNames(input.variables);
  const body = normalizeBody(input.body);
  const parsed = parseTemplate(body);
  assertDeclared(parsed, input.variables);
  const variables = input.variables.map((v) => ({
    name: v.name,
    label: v.label.normalize('NFC').trim(),
    ...(v.hint?.trim() ? { hint: v.hint.normalize('NFC').trim() } : {}),
  }));
  return {
    name: input.name.normalize('NFC').trim(),
    // Omitted: undefined, so a new version keeps the template's description (a new template gets '').
    description: input.description == null ? undefined : input.description.normalize('NFC').trim(),
    body,
    variables,
  };
}

function assertUniqueNames(variables: TemplateVariable[]): void {
  const seen = new Set<string>();
  const duplicates = variables.map((v) => v.name).filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
  if (duplicates.length > 0) throw new ValidationFailed([{ field: 'variables', messages: ['variables must have unique names'] }]);
}
