/**
 * Creating a widget, for the demo and the tests: the package itself never creates widgets (they
 * come from `@pulumi/cloudflare` or the dashboard), so this call lives here, not in its client.
 */

/** The settings of a new widget, in Cloudflare's own field names. */
export interface NewWidget {
  readonly name: string;
  readonly domains: readonly string[];
  readonly mode: string;
  readonly [field: string]: unknown;
}

/** What Cloudflare answers a create with, as far as callers rely on it. */
export interface CreatedWidget {
  readonly sitekey: string;
  readonly secret: string;
  readonly [field: string]: unknown;
}

/**
 * Creates a widget through the API at `baseUrl` (so it goes through auth and validation) and
 * returns Cloudflare's answer, secret included. Throws with the HTTP status and Cloudflare's errors.
 */
export async function createWidget(baseUrl: string, apiToken: string, accountId: string, widget: NewWidget): Promise<CreatedWidget> {
  const response = await fetch(`${baseUrl}/accounts/${encodeURIComponent(accountId)}/challenges/widgets`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
    body: JSON.stringify(widget),
  });
  const body = (await response.json()) as { success?: boolean; result?: CreatedWidget | null; errors?: unknown };
  if (!response.ok || body.success !== true || !body.result) {
    throw new Error(`creating widget "${widget.name}" failed: HTTP ${response.status} ${JSON.stringify(body.errors ?? [])}`);
  }
  return body.result;
}
