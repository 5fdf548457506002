/**
 * Cloudflare v4 response envelopes. Every /client/v4 answer goes through these so
 * success and failure bodies look exactly like the real API's.
 */
import type { ErrorItem } from "./types";

/** Pagination block of list answers. */
export interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
}

/** Successful v4 body. */
export interface SuccessEnvelope<T> {
  success: true;
  errors: [];
  messages: [];
  result: T;
  result_info?: ResultInfo;
}

/** Failed v4 body (always sent with a non-2xx status). */
export interface FailureEnvelope {
  success: false;
  errors: ErrorItem[];
  messages: [];
  result: null;
}

/** Wraps a result in the success envelope (with `result_info` for lists). */
export function success<T>(result: T, resultInfo?: ResultInfo): SuccessEnvelope<T> {
  const body: SuccessEnvelope<T> = { success: true, errors: [], messages: [], result };
  if (resultInfo) body.result_info = resultInfo;
  return body;
}

/** Builds the failure envelope for the given error items. */
export function failure(errors: ErrorItem[]): FailureEnvelope {
  return { success: false, errors, messages: [], result: null };
}
