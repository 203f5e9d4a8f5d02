import { cruise, moduleCycles, moduleGraph } from './depcruise';

/**
 * The module boundaries of docs/architecture.md, as the build checks them: dependency-cruiser's
 * rules (.dependency-cruiser.cjs, also run by `npm run lint:deps`) and, on its graph, no cycle
 * between modules. The negative fixtures prove each rule fails on a forbidden import.
 */
describe('module boundaries', () => {
  const fixtures = 'apps/api/test/architecture/fixtures/src';

  describe('the application', () => {
    const result = cruise(['apps/api/src', 'libs/domain/src', 'libs/api-client/src']);

    it('breaks no dependency rule', () => {
      expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
    });

    it('has no cycle between modules (consultations ↔ payments included)', () => {
      const graph = moduleGraph(result);
      expect(moduleCycles(graph)).toEqual([]);
      // The edges that once formed a cycle now run one way through consultations-core.
      expect([...(graph.get('consultations') ?? [])]).toEqual(expect.arrayContaining(['payments', 'consultations-core']));
      expect(graph.get('payments')?.has('consultations')).toBe(false);
      expect(graph.get('payments')?.has('consultations-core')).toBe(true);
    });
  });

  describe('the negative fixtures', () => {
    const result = cruise([fixtures]);
    const broken = (rule: string) => result.summary.violations.filter((v) => v.rule.name === rule).map((v) => `${v.from} -> ${v.to}`);

    it("refuse an import of another module's repository", () => {
      expect(broken('module-internals')).toEqual([`${fixtures}/modules/alpha/alpha.service.ts -> ${fixtures}/modules/beta/beta.repository.ts`]);
      expect(result.summary.error).toBeGreaterThan(0);
    });

    it('refuse common/ importing a module', () => {
      expect(broken('common-imports-no-module')).toEqual([`${fixtures}/common/uses-module.ts -> ${fixtures}/modules/alpha/index.ts`]);
    });

    it('find the cycle between two modules that each use the other', () => {
      expect(moduleCycles(moduleGraph(result))).toEqual([['alpha', 'beta']]);
    });
  });
});
