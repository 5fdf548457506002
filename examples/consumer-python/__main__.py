"""Reads the Turnstile secret another stack rotated, from Python.

Config: producerStack (default organization/producer/dev). The producer is a TypeScript stack; this
stack reads its output through a StackReference and keeps it secret. The consumer must be able to
decrypt the producer's state: same passphrase or secrets provider.
"""

import hashlib

import pulumi


def decrypted(value):
    """Fails clearly when the producer's secret could not be decrypted for this stack.

    The engine then warns "eliding undecryptable secrets for stack reference ..." and hands over a
    placeholder instead of the secret. (TypeScript consumers get this check from
    `turnstileSecretFrom` in pulumi-turnstile-rotation; this is the same check in Python.)
    """
    if not isinstance(value, str):
        raise pulumi.RunError(
            "cannot decrypt turnstileSecret of the producer stack: "
            "use the producer's passphrase or secrets provider for this stack too"
        )
    return value


config = pulumi.Config()
producer = pulumi.StackReference(config.get("producerStack") or "organization/producer/dev")

secret = producer.require_output("turnstileSecret").apply(decrypted)

# What an application stack would pass on, e.g. into a secret store or an app setting.
pulumi.export("turnstileSecret", secret)
# A value derived from a secret is a secret too: this hash stays masked unless --show-secrets.
pulumi.export("secretSha256", secret.apply(lambda value: hashlib.sha256(value.encode("utf-8")).hexdigest()))
pulumi.export("producerRotatedAt", producer.get_output("rotatedAt"))
