import { ApiError } from '@lm/api-client';

/** `ApiError.fields` as `{ field: "first message" }`, for showing next to inputs. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.fields) return {};
  const result: Record<string, string> = {};
  for (const { field, messages } of error.fields) {
    if (messages[0] && !result[field]) result[field] = messages[0];
  }
  return result;
}
