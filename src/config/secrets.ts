/**
 * What clients see of a secret in the config. The real server echoes API keys (and whatever
 * {env:} / {file:} filled in) to every client; we do not: a key shown in a settings screen,
 * a screenshot or a debug dump is a key leaked. A client that sends the mask back in a PATCH
 * (read, change one field, write all) leaves the stored value as it is.
 */
export const REDACTED = "[redacted]"

// Compared with "-" and "_" removed, lower-cased, at the end of the name: apiKey, x-api-key,
// OPENAI_API_KEY, GITHUB_TOKEN, Authorization, AWS_SECRET_ACCESS_KEY, client_secret...
const SECRET_NAME = /(apikey|token|secret|password|passwd|authorization|cookie|accesskey|privatekey)$/

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[-_]/g, ""))
}

/** A copy with every non-empty string under a secret-looking name replaced by the mask. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactSecrets) as T
  if (!value || typeof value !== "object") return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === "string" && v && isSecretName(k) ? REDACTED : redactSecrets(v)
  return out as T
}
