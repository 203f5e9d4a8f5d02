import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export type Owners = Record<string, { tables: readonly string[]; views: readonly string[] }>;

export interface OwnershipViolation {
  file: string;
  line: number;
  module: string;
  kind: 'write' | 'read';
  relation: string;
  owner: string;
  statement: string;
}

/** SQL that changes a relation, and SQL that reads one, as they appear in our repositories' query strings. */
const WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|ALTER\s+TABLE|LOCK\s+TABLE)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?/g;
const READ = /\b(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)"?/g;

/** Every .ts file below `dir` except unit specs (which may set up anything). */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

/**
 * Scans the SQL in the files of `modulesDir/<module>/…`: a write of a relation another module
 * owns, or a read of another module's table (not one of its views), is a violation. Words that
 * are not relations (FROM in prose, `UPDATE OF`) are ignored because only known relations count.
 */
export function findOwnershipViolations(modulesDir: string, owners: Owners): OwnershipViolation[] {
  const ownerOf = new Map<string, { owner: string; isView: boolean }>();
  for (const [owner, { tables, views }] of Object.entries(owners)) {
    for (const t of tables) ownerOf.set(t, { owner, isView: false });
    for (const v of views) ownerOf.set(v, { owner, isView: true });
  }
  const violations: OwnershipViolation[] = [];
  for (const file of sourceFiles(modulesDir)) {
    const module = relative(modulesDir, file).split(sep)[0]!;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const [pattern, kind] of [
        [WRITE, 'write'],
        [READ, 'read'],
      ] as const) {
        for (const match of text.matchAll(pattern)) {
          const relation = match[1]!.toLowerCase();
          const found = ownerOf.get(relation);
          if (!found || found.owner === module) continue;
          if (kind === 'read' && found.isView) continue;
          violations.push({ file, line: i + 1, module, kind, relation, owner: found.owner, statement: text.trim() });
        }
      }
    });
  }
  return violations;
}

/** Names of the tables and views the migrations create (and do not drop again). */
export function relationsInMigrations(migrationsDir: string): { tables: Set<string>; views: Set<string> } {
  const tables = new Set<string>();
  const views = new Set<string>();
  for (const file of sourceFiles(migrationsDir)) {
    // Only `up`: everything up to `async down(`.
    const up = readFileSync(file, 'utf8').split(/async down\(/)[0]!;
    for (const m of up.matchAll(/CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?"?([a-z_][a-z0-9_]*)"?/g)) tables.add(m[1]!);
    for (const m of up.matchAll(/CREATE (?:OR REPLACE )?VIEW "?([a-z_][a-z0-9_]*)"?/g)) views.add(m[1]!);
    for (const m of up.matchAll(/DROP TABLE (?:IF EXISTS )?"?([a-z_][a-z0-9_]*)"?/g)) tables.delete(m[1]!);
  }
  return { tables, views };
}
