import { SERVER_SECRETS } from "../global/settings"

// The server's own credentials are no business of the programs it starts: language servers,
// formatters and MCP servers run third-party code, and whatever a shell command prints the
// model reads.

/** Our environment minus the server's credentials, with `extra` (from config) on top. */
export function childEnv(extra?: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !(SERVER_SECRETS as readonly string[]).includes(k)) env[k] = v
  for (const [k, v] of Object.entries(extra ?? {})) if (v !== undefined) env[k] = v
  return env
}
