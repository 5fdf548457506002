/**
 * Applies the part of a fault that acts before the operation runs. Kept apart
 * from the queue so each route family (v4 envelope vs siteverify) can shape its
 * own body; the part acting after a commit lives in after-commit.ts.
 */
import { STATUS_CODES, type ServerResponse } from "node:http";
import { delay, sendJson, sendRaw } from "../http";
import { failure } from "../envelope";
import { ErrorCodes, type ErrorItem } from "../types";
import { siteverifyFailure } from "../siteverify";
import type { BodyFlavor } from "../garble";
import type { QueuedFault } from "../fault-spec";

/** What the route must do after a fault was applied. */
export type FaultOutcome =
  // run the operation (after the rival's action, if any); afterCommit then shapes the answer
  | { action: "continue"; afterCommit?: QueuedFault; rival?: QueuedFault }
  | { action: "done" }; // the fault already answered, killed or parked the request

/** What a proxy or a base URL that misses the API answers: a 404 that is not Cloudflare's. */
const FOREIGN_404_PAGE = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n" +
  "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/** Cuts the connection without a response: the client sees ECONNRESET / "socket hang up". */
export function dropConnection(res: ServerResponse): void {
  res.socket?.destroy();
}

/** The `x-should-retry` header a status fault asks for, if any. */
export function shouldRetryHeader(fault: QueuedFault): Record<string, string> {
  return fault.shouldRetry === undefined ? {} : { "x-should-retry": String(fault.shouldRetry) };
}

/** Answers with the fault's status and a failure body of the route's family (its error code as asked, or none). */
export function sendInjectedStatus(res: ServerResponse, fault: QueuedFault, flavor: BodyFlavor): void {
  const message = `${STATUS_CODES[fault.status] ?? "Error"} (injected by the emulator)`;
  const envelope = failure([{ code: fault.code ?? ErrorCodes.serviceUnavailable, message }]);
  if (fault.code === null) envelope.errors = [{ message } as ErrorItem];
  sendJson(res, fault.status, flavor === "v4" ? envelope : siteverifyFailure("internal-error"), shouldRetryHeader(fault));
}

/** Applies `fault` (if any) to the request being answered on `res`, before anything is committed. */
export async function applyFault(fault: QueuedFault | undefined, res: ServerResponse, flavor: BodyFlavor): Promise<FaultOutcome> {
  if (!fault) return { action: "continue" };
  switch (fault.kind) {
    case "latency":
      await delay(fault.latencyMs);
      return { action: "continue" };
    case "commit_drop":
    case "commit_status":
    case "commit_garble":
    case "commit_hang":
    case "commit_late":
    case "no_date":
      return { action: "continue", afterCommit: fault };
    case "rival":
      return { action: "continue", rival: fault };
    case "reset":
      dropConnection(res);
      return { action: "done" };
    case "hang":
      // No answer ever: the socket stays open until the client gives up or the server closes.
      return { action: "done" };
    case "foreign_404":
      sendRaw(res, 404, "text/html", FOREIGN_404_PAGE);
      return { action: "done" };
    case "rate_limit":
      sendJson(res, 429, flavor === "v4"
        ? failure([{ code: ErrorCodes.rateLimited, message: "Please wait and consider throttling your request speed" }])
        : siteverifyFailure("internal-error"),
      { "retry-after": String(fault.retryAfterSeconds) });
      return { action: "done" };
    case "status":
      sendInjectedStatus(res, fault, flavor);
      return { action: "done" };
  }
}
