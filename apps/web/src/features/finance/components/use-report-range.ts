import { oneOfParam, textParam, usePagedListParams } from '../../../hooks/use-paged-list-params';
import { todayIn } from '../../../lib/time';
import { useTimeZone } from '../../auth/use-time-zone';
import { GRANULARITIES, RANGE_PRESETS, resolveRange, type RangeInput, type RangeResult } from '../report-range';

/** `?range=12m|90d|30d|custom&from=…&to=…&granularity=…`: a report's range lives in the address. */
const PARAMS = {
  range: oneOfParam(RANGE_PRESETS, '12m'),
  from: textParam(),
  to: textParam(),
  granularity: oneOfParam(GRANULARITIES, 'month'),
};

export interface ReportRange {
  input: RangeInput;
  result: RangeResult;
  /** Today in the viewer's zone (YYYY-MM-DD), where the presets end. */
  today: string;
  zone: string;
  locale: string;
  setInput(changes: Partial<RangeInput>): void;
}

/** The range controls' state (from the address) and the report query it stands for. */
export function useReportRange(): ReportRange {
  const { zone, locale } = useTimeZone();
  const { filters, setFilters } = usePagedListParams(PARAMS);
  const today = todayIn(zone);
  return { input: filters, result: resolveRange(filters, today), today, zone, locale, setInput: setFilters };
}
