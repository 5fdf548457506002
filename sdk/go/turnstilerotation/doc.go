// Rotates Cloudflare Turnstile widget secrets with zero downtime when a trigger changes, and publishes them as Pulumi secrets.
package turnstilerotation
