import fs from "node:fs"
import path from "node:path"
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js"
import { Paths } from "../global/paths"

// OAuth state of remote MCP servers, beside the provider credentials and like them
// owner-only (directory 0700, file 0600 from creation). Keyed by server name; an entry is
// only used for the URL it was obtained for, so re-pointing a name never leaks a token.

export type McpAuthEntry = {
  serverUrl: string
  client?: OAuthClientInformationMixed
  tokens?: OAuthTokens & { obtained_at?: number }
  codeVerifier?: string
  state?: string
}

const file = () => path.join(Paths.data, "mcp-credentials.json")

function readAll(): Record<string, McpAuthEntry> {
  try {
    const v = JSON.parse(fs.readFileSync(file(), "utf8"))
    return v && typeof v === "object" && !Array.isArray(v) ? v : {}
  } catch {
    return {}
  }
}

function writeAll(value: Record<string, McpAuthEntry>) {
  const dir = path.dirname(file())
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const tmp = `${file()}.${process.pid}.${Date.now()}.tmp`
  const fd = fs.openSync(tmp, "wx", 0o600)
  try {
    fs.writeFileSync(fd, JSON.stringify(value, null, 2) + "\n")
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file())
}

export function readEntry(name: string, serverUrl: string): McpAuthEntry | undefined {
  const e = readAll()[name]
  return e?.serverUrl === serverUrl ? e : undefined
}

export function updateEntry(name: string, serverUrl: string, change: Partial<McpAuthEntry>) {
  const all = readAll()
  const base = all[name]?.serverUrl === serverUrl ? all[name]! : { serverUrl }
  all[name] = { ...base, ...change, serverUrl }
  writeAll(all)
}

/** False when nothing was stored for the server. */
export function removeEntry(name: string): boolean {
  const all = readAll()
  if (!(name in all)) return false
  delete all[name]
  writeAll(all)
  return true
}
