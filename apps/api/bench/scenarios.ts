/** A load scenario: the same request sent to the real app and to the bare baseline. */
export interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  /** Path (with query) requested on both servers. */
  path: string;
  /** Optional per-run setup on the app (e.g. seed data); receives both base URLs. */
  setup?: (ctx: { appUrl: string; databaseUrl: string }) => Promise<void>;
}

export const SCENARIOS: Scenario[] = [{ name: 'GET /api/health', method: 'GET', path: '/api/health' }];
