// Reads the Turnstile secret another stack rotated. Config: producerStack (default
// organization/producer/dev). The secret stays a secret here: the consumer must be able to
// decrypt the producer's state (same passphrase or secrets provider).
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { turnstileSecretFrom } from "pulumi-turnstile-rotation";

const config = new pulumi.Config();
const producer = new pulumi.StackReference(config.get("producerStack") ?? "organization/producer/dev");

// Not `producer.requireOutput(...)`: without the producer's passphrase or secrets provider that
// hands over a placeholder object, and everything below would deploy from it. This fails the
// preview instead, naming the output and the fix.
const secret = turnstileSecretFrom(producer, "turnstileSecret");

// What an application stack would pass on, e.g. into a secret store or an app setting.
export const turnstileSecret = secret;
// A value derived from a secret is a secret too; compare fingerprints, never the secret itself.
export const secretFingerprint = secret.apply((value) =>
  crypto.createHash("sha256").update(value).digest("hex").slice(0, 16),
);
export const producerRotatedAt = producer.getOutput("rotatedAt");
