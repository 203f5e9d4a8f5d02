import { ErrorState } from '../../../components/query-state';
import { describeE2eeError } from '../e2ee-errors';

/** ErrorState for what the E2EE library throws: a failed load with a retry. */
export function E2eeErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return <ErrorState error={error} onRetry={onRetry} describe={describeE2eeError} />;
}
