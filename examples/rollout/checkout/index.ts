// The checkout app's stack: its server verifies Turnstile tokens with the secret the producer
// rotates. It picks up a new secret at its next `pulumi up`, which `turnstile-rotation rollout`
// runs. Config: producerStack (default organization/rollout-producer/prod).
import * as pulumi from "@pulumi/pulumi";
import { turnstileSecretFrom } from "pulumi-turnstile-rotation";

const producerStack = new pulumi.Config().get("producerStack") ?? "organization/rollout-producer/prod";
const secretKey = turnstileSecretFrom(new pulumi.StackReference(producerStack), "turnstileSecret");

// The settings the checkout server is deployed with (in a real stack: a secret store entry, an
// app setting); built from a secret, so a secret too.
export const serverSettings = secretKey.apply((key) => ({ TURNSTILE_SECRET_KEY: key, TURNSTILE_PRODUCER: producerStack }));
