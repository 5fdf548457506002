/**
 * Warnings from inside the dynamic provider's process, shown by `pulumi up` and `pulumi preview`
 * as warnings. The engine starts that process with its own address as the first argument; the
 * hooks get no handle on it, so this module opens the engine's log service itself, with the gRPC
 * modules of the program's `@pulumi/pulumi`. Outside the engine (tests), warnings go to stderr.
 */

type LogClient = { log(request: unknown, done: (error: unknown) => void): void };

let client: LogClient | null | undefined;
let severityWarning = 0;
let makeRequest: ((message: string) => unknown) | undefined;

/** The engine's address when this process is the engine's dynamic provider, else undefined. */
function engineAddress(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((arg) => /^(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(arg));
}

function connect(): LogClient | null {
  const address = engineAddress(process.argv);
  if (address === undefined) return null;
  try {
    const pulumiRoot = require.resolve("@pulumi/pulumi");
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiRoot] }));
    const services = require("@pulumi/pulumi/proto/engine_grpc_pb.js");
    const messages = require("@pulumi/pulumi/proto/engine_pb.js");
    severityWarning = messages.LogSeverity.WARNING;
    makeRequest = (message) => {
      const request = new messages.LogRequest();
      request.setSeverity(severityWarning);
      request.setMessage(message);
      return request;
    };
    return new services.EngineClient(address, grpc.credentials.createInsecure()) as LogClient;
  } catch {
    return null;
  }
}

/**
 * Shows `message` as a warning of the running command. Never throws: a warning that cannot be
 * delivered to the engine goes to stderr, which the engine also shows.
 */
export function warnUser(message: string): Promise<void> {
  if (client === undefined) client = connect();
  if (client === null || makeRequest === undefined) {
    process.stderr.write(`warning: ${message}\n`);
    return Promise.resolve();
  }
  const engine = client;
  const request = makeRequest(message);
  return new Promise((resolve) => {
    engine.log(request, (error) => {
      if (error) process.stderr.write(`warning: ${message}\n`);
      resolve();
    });
  });
}
