/**
 * Sends a route's answer, or what a commit_* fault puts in its place once the
 * operation has run: nothing (dropped or hung connection), an error status, or
 * a garbled 200. This is the ambiguity a rotation client must resolve by
 * reading the widget back.
 */
import type { ServerResponse } from "node:http";
import { sendJson, sendRaw } from "../http";
import { garble, type BodyFlavor } from "../garble";
import { dropConnection, sendInjectedStatus } from "./faulting";
import type { QueuedFault } from "../fault-spec";

/** The answer an operation produced. */
export interface Reply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Sends `reply`, unless `afterCommit` (a commit_* fault) replaces it. */
export function finishAnswer(res: ServerResponse, reply: Reply, afterCommit: QueuedFault | undefined, flavor: BodyFlavor): void {
  if (!afterCommit) return sendJson(res, reply.status, reply.body, reply.headers);
  switch (afterCommit.kind) {
    case "commit_drop":
      return dropConnection(res);
    case "commit_hang":
    case "commit_late":
      return; // the socket stays open until the client gives up or the server closes
    case "commit_status":
      return sendInjectedStatus(res, afterCommit, flavor);
    case "no_date":
      res.removeHeader("date");
      return sendJson(res, reply.status, reply.body, reply.headers);
    case "commit_garble": {
      const { contentType, payload } = garble(reply.body, afterCommit.body, flavor);
      return sendRaw(res, 200, contentType, payload, reply.status === 200 ? reply.headers : {});
    }
    default:
      throw new Error(`fault kind ${afterCommit.kind} does not act after a commit`);
  }
}
