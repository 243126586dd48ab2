import type { TSchema } from "../util/schema"
import { ConfigFile, KNOWN_KEYS } from "./schema"
import type { ConfigIssue } from "./error"
import { schemaIssues } from "../util/schema-issues"

/** Schema problems as "field: what is wrong", one per field, most specific first. */
export function validateConfig(value: unknown, schema: TSchema = ConfigFile): ConfigIssue[] {
  return schemaIssues(schema, value)
}

/** Root keys this server does not know: kept (a newer opencode may use them) but worth a warning. */
export function unknownKeys(value: unknown): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return []
  return Object.keys(value).filter((k) => !KNOWN_KEYS.has(k))
}
