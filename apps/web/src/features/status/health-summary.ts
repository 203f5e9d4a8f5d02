import type { HealthResponse } from './status.queries';

export type OverallStatus = 'operational' | 'degraded';

export interface ComponentStatus {
  key: string;
  label: string;
  status: string;
  isUp: boolean;
}

export interface HealthSummary {
  overall: OverallStatus;
  components: ComponentStatus[];
  version: string;
  uptimeSeconds: number;
}

/** Known components first, in this order, with human labels; unknown ones follow. */
const KNOWN_COMPONENTS: Record<string, string> = {
  database: 'Database',
  storage: 'Storage',
  jobs: 'Background jobs',
};

function labelFor(key: string): string {
  return KNOWN_COMPONENTS[key] ?? key.charAt(0).toUpperCase() + key.slice(1).replace(/[-_]/g, ' ');
}

function rank(key: string): number {
  const index = Object.keys(KNOWN_COMPONENTS).indexOf(key);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}

export function healthSummary(health: HealthResponse): HealthSummary {
  const components = Object.entries(health.details)
    .map(([key, detail]) => ({
      key,
      label: labelFor(key),
      status: detail.status,
      isUp: detail.status === 'up',
    }))
    .sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));

  return {
    overall: health.status === 'ok' && components.every((c) => c.isUp) ? 'operational' : 'degraded',
    components,
    version: health.version,
    uptimeSeconds: health.uptimeSeconds,
  };
}

/** `93784` → `1d 2h`, `4500` → `1h 15m`, `42` → `42s`. */
export function formatUptime(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}
