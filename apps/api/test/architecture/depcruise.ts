import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../../..');

export interface CruiseResult {
  modules: { source: string; dependencies: { resolved: string; rules?: { name: string }[] }[] }[];
  summary: { violations: { from: string; to: string; rule: { name: string; severity: string } }[]; error: number };
}

/** Runs dependency-cruiser (an ESM-only CLI, hence a child process) with the repository's rules over `paths`. */
export function cruise(paths: string[]): CruiseResult {
  const run = spawnSync(
    join(REPO_ROOT, 'node_modules/.bin/depcruise'),
    [...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (!run.stdout) throw new Error(`dependency-cruiser produced no output: ${run.stderr}`);
  return JSON.parse(run.stdout) as CruiseResult;
}

/** The module a file belongs to (`…/src/modules/<module>/…`), or null. */
export function moduleOf(path: string): string | null {
  return /(?:^|\/)src\/modules\/([^/]+)\//.exec(path)?.[1] ?? null;
}

/** Edges between modules (a file of one importing a file of another). */
export function moduleGraph(result: CruiseResult): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const m of result.modules) {
    const from = moduleOf(m.source);
    if (!from || m.source.endsWith('.spec.ts')) continue;
    for (const d of m.dependencies) {
      const to = moduleOf(d.resolved);
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Every cycle of the module graph, each as the list of modules along it (Tarjan's strongly connected components). */
export function moduleCycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return components;
}
