// Reads the Turnstile secret another stack rotated. Config: producerStack (default
// organization/producer/dev). The secret stays a secret here: the consumer must be able to
// decrypt the producer's state (same passphrase or secrets provider).
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const producer = new pulumi.StackReference(config.get("producerStack") ?? "organization/producer/dev");

const secret = producer.requireOutput("turnstileSecret").apply((value) => {
  // Without the producer's passphrase or secrets provider the engine hands over a placeholder.
  if (typeof value !== "string") {
    throw new pulumi.RunError("cannot decrypt the producer's turnstileSecret: use its passphrase or secrets provider here too");
  }
  return value;
});

// What an application stack would pass on, e.g. into a secret store or an app setting.
export const turnstileSecret = secret;
// A value derived from a secret is a secret too; compare fingerprints, never the secret itself.
export const secretFingerprint = secret.apply((value) =>
  crypto.createHash("sha256").update(value).digest("hex").slice(0, 16),
);
export const producerRotatedAt = producer.getOutput("rotatedAt");
