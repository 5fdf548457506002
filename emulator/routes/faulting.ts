/**
 * Applies a fault taken from the FaultQueue to one request. Kept apart from the
 * queue so each route family (v4 envelope vs siteverify) can shape its own body.
 */
import { STATUS_CODES, type ServerResponse } from "node:http";
import { delay, sendJson } from "../http";
import { failure } from "../envelope";
import { ErrorCodes } from "../types";
import type { QueuedFault } from "../faults";

/** What the route must do after a fault was applied. */
export type FaultOutcome =
  | { action: "continue"; dropAfter: boolean } // handle normally; if dropAfter, commit then destroy the socket
  | { action: "done" }; // the fault already answered (or killed) the request

/** Body family the injected failure should look like. */
export type FaultFlavor = "v4" | "siteverify";

/** Cuts the connection without a response: the client sees ECONNRESET / "socket hang up". */
export function dropConnection(res: ServerResponse): void {
  res.socket?.destroy();
}

/** Applies `fault` (if any) to the request being answered on `res`. */
export async function applyFault(fault: QueuedFault | undefined, res: ServerResponse, flavor: FaultFlavor): Promise<FaultOutcome> {
  if (!fault) return { action: "continue", dropAfter: false };
  switch (fault.kind) {
    case "latency":
      await delay(fault.latencyMs);
      return { action: "continue", dropAfter: false };
    case "commit_drop":
      return { action: "continue", dropAfter: true };
    case "reset":
      dropConnection(res);
      return { action: "done" };
    case "rate_limit":
      sendJson(res, 429, flavor === "v4"
        ? failure([{ code: ErrorCodes.rateLimited, message: "Please wait and consider throttling your request speed" }])
        : { success: false, "error-codes": ["internal-error"], messages: [] },
      { "retry-after": String(fault.retryAfterSeconds) });
      return { action: "done" };
    case "status": {
      const text = STATUS_CODES[fault.status] ?? "Error";
      sendJson(res, fault.status, flavor === "v4"
        ? failure([{ code: ErrorCodes.serviceUnavailable, message: `${text} (injected by the emulator)` }])
        : { success: false, "error-codes": ["internal-error"], messages: [] });
      return { action: "done" };
    }
  }
}
