/**
 * Type-level tests of `TurnstileSecretRotations`, checked by `npm run typecheck` (this file is in
 * tsconfig.json's `tests`) and never run: mocha only loads `*.spec.ts`. Each `@ts-expect-error`
 * line must fail to compile; if a misspelt key ever compiled again, the directive itself would be
 * reported as unused and the type check would fail.
 */
import * as pulumi from "@pulumi/pulumi";
import { TurnstileSecretRotations, type TurnstileSecretRotation } from "../../../provider";

/** Keys given as an object literal type every keyed output. */
export function keyedOutputsFollowSitekeys(loginSitekey: pulumi.Output<string>): unknown[] {
  const forms = new TurnstileSecretRotations("forms", {
    accountId: "023e105f4ecef8ad9ca31a8372d0c353",
    sitekeys: { login: loginSitekey, signup: "0x4AAAAAAAsignupSitekey" },
    rotationTrigger: "2026-11",
  });
  const login: TurnstileSecretRotation = forms.rotations.login;
  const signupSecret: pulumi.Output<string> = forms.secrets.signup;
  const loginExpiry: pulumi.Output<string | null> = forms.previousSecretExpiresAt.apply((byName) => byName.login);
  // Annotations without a type argument, written before keys were typed, still accept it.
  const widened: TurnstileSecretRotations = forms;
  takesAnyComponent(forms);
  return [
    login, signupSecret, loginExpiry, widened,
    // @ts-expect-error "logn" is not a key of sitekeys
    forms.rotations.logn,
    // @ts-expect-error "sigup" is not a key of sitekeys (lifted property of the secrets output)
    forms.secrets.sigup,
    // @ts-expect-error "sigup" is not a key of sitekeys
    forms.secrets.apply((byName) => byName.sigup),
    // @ts-expect-error "logn" is not a key of sitekeys
    forms.previousSecretExpiresAt.apply((byName) => byName.logn),
  ];
}

function takesAnyComponent(forms: TurnstileSecretRotations): pulumi.Output<string> {
  return forms.rotations.whatever.rotatedAt;
}

/** Keys known only at run time (e.g. from config) keep the old `string` keys. */
export function runtimeKeysStayStrings(sitekeys: Record<string, string>): TurnstileSecretRotation | undefined {
  const forms = new TurnstileSecretRotations("forms", { accountId: "023e105f4ecef8ad9ca31a8372d0c353", sitekeys, rotationTrigger: 1 });
  return forms.rotations["any-name"];
}
