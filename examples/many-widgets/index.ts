// Rotates many widgets under one trigger. Config: accountId, sitekeys (a JSON object of
// name -> sitekey), rotationTrigger, and optionally apiToken (a secret, for this account only).
import * as pulumi from "@pulumi/pulumi";
import { TurnstileSecretRotations } from "pulumi-turnstile-rotation";

const config = new pulumi.Config();

const rotations = new TurnstileSecretRotations("forms", {
  accountId: config.require("accountId"),
  sitekeys: config.requireObject<Record<string, string>>("sitekeys"),
  rotationTrigger: config.require("rotationTrigger"),
  apiToken: config.getSecret("apiToken"),
});

export const secrets = rotations.secrets;
export const previousSecretExpiresAt = rotations.previousSecretExpiresAt;
