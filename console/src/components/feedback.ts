import { ApiError } from '../api';

/** A message for a failed request: the server's own detail (it names the field at fault), or a generic one. */
export function problemMessage(e: unknown, fallback: string): string {
  if (e instanceof ApiError) return e.problem.detail ?? e.problem.code;
  return fallback;
}
