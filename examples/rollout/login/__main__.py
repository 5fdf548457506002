"""The login app's stack, in Python: it deploys the login server with the producer's secret.

Config: producerStack (default organization/rollout-producer/prod). This stack must be able to
decrypt the producer's state (same passphrase or secrets provider): without it the engine hands
over a placeholder instead of the secret, which this program refuses.
"""

import pulumi

producer_stack = pulumi.Config().get("producerStack") or "organization/rollout-producer/prod"
producer = pulumi.StackReference(producer_stack)


def server_settings(secret_key):
    if not isinstance(secret_key, str):
        raise pulumi.RunError(f"cannot decrypt turnstileSecret of {producer_stack}: use its passphrase or secrets provider")
    return {"TURNSTILE_SECRET_KEY": secret_key}


# What the login server is deployed with; a secret, since it is built from one.
pulumi.export("serverSettings", producer.require_output("turnstileSecret").apply(server_settings))
