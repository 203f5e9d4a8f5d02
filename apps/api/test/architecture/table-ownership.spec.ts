import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_OWNERS } from '../../src/database/table-owners';
import { findOwnershipViolations, relationsInMigrations } from './sql-ownership';

const SRC = join(__dirname, '../../src');
const DOC = join(__dirname, '../../../../docs/architecture.md');

/**
 * One writer per table: only the owning module's SQL may write a table, and another module reads
 * it only through a view the owner defines. The map is TABLE_OWNERS; docs/architecture.md shows
 * the same map to readers.
 */
describe('table ownership', () => {
  it('gives every table and view the migrations create exactly one owner', () => {
    const { tables, views } = relationsInMigrations(join(SRC, 'database/migrations'));
    const owned = Object.values(TABLE_OWNERS).flatMap((o) => [...o.tables, ...o.views]);
    expect(new Set(owned).size).toBe(owned.length);
    expect([...tables, ...views].sort()).toEqual([...owned].sort());
  });

  it("finds no module writing another module's table or reading it other than through a view", () => {
    const violations = findOwnershipViolations(join(SRC, 'modules'), TABLE_OWNERS);
    expect(violations.map((v) => `${v.module} ${v.kind}s ${v.relation} (owner ${v.owner}) at ${v.file}:${v.line}`)).toEqual([]);
  });

  it('fails on a repository that writes (and reads) another module’s table: the negative fixture', () => {
    const violations = findOwnershipViolations(join(__dirname, 'fixtures/src/modules'), TABLE_OWNERS);
    expect(violations.map(({ module, kind, relation, owner }) => ({ module, kind, relation, owner }))).toEqual([
      { module: 'beta', kind: 'write', relation: 'legal_sessions', owner: 'consultations-core' },
      { module: 'beta', kind: 'read', relation: 'lawyer_profiles', owner: 'lawyers' },
    ]);
  });

  it('is documented in docs/architecture.md exactly as enforced', () => {
    const doc = readFileSync(DOC, 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z-]+)` \|([^|]*)\|([^|]*)\|$/gm)].map((m) => ({
      module: m[1]!,
      // Relation names as the migrations' scanner reads them (digits included: e2ee_devices).
      tables: [...m[2]!.matchAll(/`([a-z_][a-z0-9_]*)`/g)].map((t) => t[1]),
      views: [...m[3]!.matchAll(/`([a-z_][a-z0-9_]*)`/g)].map((t) => t[1]),
    }));
    expect(rows).toEqual(Object.entries(TABLE_OWNERS).map(([module, o]) => ({ module, tables: [...o.tables], views: [...o.views] })));
  });
});
