// A Turnstile widget managed by @pulumi/cloudflare, with its secret rotated by this package.
// The widget's own `secret` output is the secret Cloudflare returned when the widget was
// created; after a rotation, `rotation.secret` is the one that works (a `pulumi refresh` of the
// widget picks it up too). Export and consume `rotation.secret`.
import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import { TurnstileSecretRotation } from "pulumi-turnstile-rotation";

const config = new pulumi.Config();
const accountId = config.require("accountId");

export const widget = new cloudflare.TurnstileWidget("login-form", {
  accountId,
  name: "login form",
  domains: ["example.com"],
  mode: "managed",
});

export const rotation = new TurnstileSecretRotation("login-form", {
  accountId,
  sitekey: widget.sitekey,
  rotationTrigger: config.get("rotationTrigger") ?? "2026-11",
});

export const sitekey = widget.sitekey;
export const turnstileSecret = rotation.secret;
