// Reads the Turnstile secrets that several producer stacks rotate, one widget per producer (for
// example a login form and a signup form), and hands each application its widget's secret.
// Config: producerStacks, a JSON list of stack names, e.g.
//   pulumi config set producerStacks '["organization/producer/login","organization/producer/signup"]'
// Every producer's secrets must be decryptable here: same passphrase or secrets provider.
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { turnstileSecretFrom } from "pulumi-turnstile-rotation";

const config = new pulumi.Config();
const stackNames = config.requireObject<string[]>("producerStacks");
if (!Array.isArray(stackNames) || stackNames.length === 0 || new Set(stackNames).size !== stackNames.length) {
  throw new pulumi.RunError("producerStacks must be a non-empty JSON list of distinct stack names");
}

export = async () => {
  const producers = await Promise.all(stackNames.map(async (name) => {
    const ref = new pulumi.StackReference(name);
    // Sitekeys are public: read them as plain values to check the configuration up front.
    const { value: sitekey } = await ref.getOutputDetails("sitekey");
    if (typeof sitekey !== "string") throw new pulumi.RunError(`stack ${name} exports no sitekey: run pulumi up on it first`);
    // Without access to this producer's secrets provider the engine only logs "eliding
    // undecryptable secrets for stack reference ..." and hands over a placeholder; the helper
    // fails the preview instead, naming the stack, the output and the fix.
    const secret = turnstileSecretFrom(ref, "turnstileSecret");
    return { name, sitekey, secret };
  }));

  // Two producers on one widget would rotate each other's secret: refuse that configuration. (A RunError
  // reports just its message, without a stack trace.)
  for (const [i, p] of producers.entries()) {
    const other = producers.findIndex((q) => q.sitekey === p.sitekey);
    if (other !== i) {
      throw new pulumi.RunError(`producer stacks ${producers[other].name} and ${p.name} rotate the same widget ${p.sitekey}: give each widget one producer`);
    }
  }

  return {
    // stack -> sitekey (public).
    sitekeys: Object.fromEntries(producers.map((p) => [p.name, p.sitekey])),
    // sitekey -> secret: what an application looks its widget's secret up by. Secret as a whole.
    turnstileSecrets: pulumi.all(Object.fromEntries(producers.map((p) => [p.sitekey, p.secret]))),
    // stack -> fingerprint of its secret (secret too): compare these, never the secrets themselves.
    secretFingerprints: pulumi.all(Object.fromEntries(producers.map((p) => [
      p.name,
      p.secret.apply((value) => crypto.createHash("sha256").update(value).digest("hex").slice(0, 16)),
    ]))),
  };
};
