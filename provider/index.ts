/**
 * pulumi-turnstile-rotation: rotate Cloudflare Turnstile widget secrets with `pulumi up`, with
 * zero downtime, and share them with other stacks as Pulumi secrets.
 */
export { TurnstileSecretRotation, type TurnstileSecretRotationArgs } from "./dynamic/resource";
export { TurnstileSecretRotations, type TurnstileSecretRotationsArgs } from "./dynamic/component";
export { scheduledTrigger, nextScheduledRotation, nextScheduledRotationAt, type RotationPeriod } from "./schedule";
export { turnstileSecretFrom } from "./consume";
export { CONFIG_KEYS, ENV_KEYS } from "./core/credentials";
export { DEFAULT_BASE_URL } from "./cloudflare";
export { GRACE_PERIOD_MS, type TurnstileWidgetInfo } from "./core/state";
