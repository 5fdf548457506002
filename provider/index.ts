/**
 * pulumi-turnstile-rotation: rotate Cloudflare Turnstile widget secrets with `pulumi up`, with
 * zero downtime, and share them with other stacks as Pulumi secrets.
 *
 * The public API of the package (`import ... from "pulumi-turnstile-rotation"`). Everything else
 * under provider/ is internal; `pulumi-turnstile-rotation/hooks` is the provider module deployed
 * stacks load (see provider/hooks.ts), not an API to program against.
 */

// Producing a secret: one widget, or many under one trigger.
export { TurnstileSecretRotation, type TurnstileSecretRotationArgs } from "./dynamic/resource";
export { TurnstileSecretRotations, type TurnstileSecretRotationsArgs } from "./dynamic/component";
export { GRACE_PERIOD_MS, type TurnstileWidgetInfo } from "./core/state";

// Rotating on a schedule.
export { scheduledTrigger, nextScheduledRotation, nextScheduledRotationAt, type RotationPeriod } from "./schedule";

// Consuming the secret in another stack.
export { turnstileSecretFrom, ProducerOutputError } from "./consume";

// Where the provider finds its credentials and Cloudflare.
export { CONFIG_KEYS, ENV_KEYS } from "./core/credentials";
export { DEFAULT_BASE_URL } from "./cloudflare";

// What a program may catch: every failure of this package extends TurnstileRotationError.
export { TurnstileRotationError, ProgramError, InvalidArgumentError } from "./core/errors";
