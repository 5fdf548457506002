// The producer of the rollout example. It rotates the widget's secret once a month (the first
// `pulumi up` of a new month rotates; see scheduledTrigger), or whenever the optional
// `rotationTrigger` config changes, and exports the secret for the consumers in ../rollout.yaml.
// Config: accountId, sitekey. Credentials: cloudflare:apiToken (secret) or CLOUDFLARE_API_TOKEN.
import * as pulumi from "@pulumi/pulumi";
import { TurnstileSecretRotation, scheduledTrigger } from "pulumi-turnstile-rotation";

const config = new pulumi.Config();
const loginForm = new TurnstileSecretRotation("login-form", {
  accountId: config.require("accountId"),
  sitekey: config.require("sitekey"),
  rotationTrigger: config.get("rotationTrigger") ?? scheduledTrigger({ months: 1 }),
});

// The plan's `output`: the consumers read it through a StackReference.
export const turnstileSecret = loginForm.secret;
