"""Rotates the secret of one Turnstile widget from Python and exports it, as a secret, for other stacks.

Config: accountId, sitekey, rotationTrigger (change it, then `pulumi up` rotates the secret),
invalidateImmediately and apiToken (optional). Credentials: `pulumi config set --secret
turnstile-rotation:apiToken <token>` or CLOUDFLARE_API_TOKEN. The SDK names the provider plugin's
version and download URL: `pulumi up` installs the plugin when it is missing (it runs on the
Node.js, 20 or newer, on PATH).
"""

import pulumi
import pulumi_turnstile_rotation as turnstile

config = pulumi.Config()

rotation = turnstile.TurnstileSecretRotation(
    "login-form",
    account_id=config.require("accountId"),
    sitekey=config.require("sitekey"),
    rotation_trigger=config.require("rotationTrigger"),
    invalidate_immediately=config.get_bool("invalidateImmediately") or False,
    # Optional: a token for this widget's account only (`pulumi config set --secret apiToken ...`).
    api_token=config.get_secret("apiToken"),
)

pulumi.export("turnstileSecret", rotation.secret)
pulumi.export("sitekey", rotation.sitekey)
pulumi.export("rotationTrigger", rotation.rotation_trigger)
pulumi.export("rotatedAt", rotation.rotated_at)
pulumi.export("previousSecretExpiresAt", rotation.previous_secret_expires_at)
