// Rotates the secret of one Turnstile widget and exports it, as a secret, for other stacks.
// Config: accountId, sitekey, rotationTrigger (change it to rotate), invalidateImmediately and
// rotateOnCreate (optional; `false` records a live widget's current secret instead of rotating it).
// Credentials: `pulumi config set --secret cloudflare:apiToken ...` or CLOUDFLARE_API_TOKEN.
import * as pulumi from "@pulumi/pulumi";
import { TurnstileSecretRotation } from "pulumi-turnstile-rotation";

const config = new pulumi.Config();

const rotation = new TurnstileSecretRotation("login-form", {
  accountId: config.require("accountId"),
  sitekey: config.require("sitekey"),
  rotationTrigger: config.require("rotationTrigger"),
  invalidateImmediately: config.getBoolean("invalidateImmediately") ?? false,
  rotateOnCreate: config.getBoolean("rotateOnCreate") ?? true,
});

export const turnstileSecret = rotation.secret;
export const sitekey = rotation.sitekey;
export const rotationTrigger = rotation.rotationTrigger;
export const rotatedAt = rotation.rotatedAt;
export const previousSecretExpiresAt = rotation.previousSecretExpiresAt;
