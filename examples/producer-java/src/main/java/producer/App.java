// Rotates the secret of one Turnstile widget from Java and exports it, as a secret, for other stacks.
// Config: accountId, sitekey, rotationTrigger (change it, then `pulumi up` rotates the secret).
// Credentials: `pulumi config set --secret turnstile-rotation:apiToken <token>` or CLOUDFLARE_API_TOKEN.
package producer;

import com.pulumi.Pulumi;
import io.github.pulumiturnstilerotation.turnstilerotation.TurnstileSecretRotation;
import io.github.pulumiturnstilerotation.turnstilerotation.TurnstileSecretRotationArgs;

public class App {
    public static void main(String[] args) {
        Pulumi.run(ctx -> {
            var config = ctx.config();
            var rotation = new TurnstileSecretRotation("login-form", TurnstileSecretRotationArgs.builder()
                .accountId(config.require("accountId"))
                .sitekey(config.require("sitekey"))
                .rotationTrigger(config.require("rotationTrigger"))
                .build());
            ctx.export("turnstileSecret", rotation.secret());
            ctx.export("rotatedAt", rotation.rotatedAt());
        });
    }
}
