// Rotates the secret of one Turnstile widget from Go and exports it, as a secret, for other stacks.
// Config: accountId, sitekey, rotationTrigger (change it, then `pulumi up` rotates the secret).
// Credentials: `pulumi config set --secret turnstile-rotation:apiToken <token>` or
// CLOUDFLARE_API_TOKEN. The SDK names the provider plugin's version and download URL: `pulumi up`
// installs the plugin when it is missing (it runs on the Node.js, 20 or newer, on PATH).
package main

import (
	turnstile "github.com/pulumi-turnstile-rotation/pulumi-turnstile-rotation/sdk/go/turnstilerotation"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		rotation, err := turnstile.NewTurnstileSecretRotation(ctx, "login-form", &turnstile.TurnstileSecretRotationArgs{
			AccountId:       pulumi.String(cfg.Require("accountId")),
			Sitekey:         pulumi.String(cfg.Require("sitekey")),
			RotationTrigger: pulumi.String(cfg.Require("rotationTrigger")),
		})
		if err != nil {
			return err
		}
		ctx.Export("turnstileSecret", rotation.Secret)
		ctx.Export("rotatedAt", rotation.RotatedAt)
		return nil
	})
}
