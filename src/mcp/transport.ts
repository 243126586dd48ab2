import path from "node:path"
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js"
import { VERSION } from "../global/version"
import type { McpConfig } from "./schema"
import { childEnv } from "../util/child-env"

const STDERR_TAIL = 2_000

export type Connection = {
  client: Client
  /** The last lines a local server wrote to stderr, for error messages. */
  stderr(): string
}

/**
 * Connects to one configured server within `timeout` ms. Remote servers are tried with
 * streamable HTTP first and with the older HTTP+SSE transport when that is refused.
 * Throws with a message fit for the `failed` status.
 */
/** The server wants a sign-in (`needs_auth`), or cannot register us as a client (`needs_client_registration`). */
export class McpAuthRequired extends Error {
  constructor(
    readonly status: "needs_auth" | "needs_client_registration",
    message: string,
  ) {
    super(message)
  }
}

export async function connect(config: McpConfig, directory: string, timeout: number, signal?: AbortSignal, name = "mcp"): Promise<Connection> {
  if (config.type === "local") return connectLocal(config, directory, timeout, signal)
  let url: URL
  try {
    url = new URL(config.url)
  } catch {
    throw new Error(`invalid URL: ${config.url}`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`unsupported URL scheme ${url.protocol} (http or https expected)`)
  const requestInit = { headers: config.headers ?? {} }
  // OAuth unless the config turns it off: the SDK signs requests with stored tokens, refreshes
  // them after a 401, and reports a server that needs a sign-in as UnauthorizedError.
  const authProvider = config.oauth === false ? undefined : new (await import("./oauth-provider")).McpOAuthProvider(name, config)
  // The SDK (several MB once evaluated) loads with the first connection, not at start-up.
  const [{ StreamableHTTPClientTransport }, { SSEClientTransport }, { UnauthorizedError }] = await Promise.all([
    import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
    import("@modelcontextprotocol/sdk/client/sse.js"),
    import("@modelcontextprotocol/sdk/client/auth.js"),
  ])
  const isAuth = (e: unknown) => e instanceof UnauthorizedError || isHttp401(e)
  try {
    return await attempt(new StreamableHTTPClientTransport(url, { requestInit, authProvider }), timeout, signal)
  } catch (first) {
    if (isAuth(first) || isRegistration(first)) throw authError(first, authProvider !== undefined)
    if (signal?.aborted) throw first
    try {
      return await attempt(new SSEClientTransport(url, { requestInit, authProvider, eventSourceInit: { fetch: withHeaders(config.headers) } }), timeout, signal)
    } catch (second) {
      if (isAuth(second) || isRegistration(second)) throw authError(second, authProvider !== undefined)
      const a = message(first)
      const b = message(second)
      throw new Error(b.endsWith(a) ? a : `${a} (SSE fallback: ${b})`)
    }
  }
}

async function connectLocal(config: Extract<McpConfig, { type: "local" }>, directory: string, timeout: number, signal?: AbortSignal) {
  const [command, ...args] = config.command
  const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js")
  const transport = new StdioClientTransport({
    command: command!,
    args,
    cwd: config.cwd ? path.resolve(directory, config.cwd) : directory,
    env: childEnv(config.environment),
    stderr: "pipe",
  })
  let tail = ""
  transport.stderr?.on("data", (d: Buffer) => (tail = (tail + d.toString()).slice(-STDERR_TAIL)))
  try {
    const { client } = await attempt(transport, timeout, signal)
    return { client, stderr: () => tail.trim() }
  } catch (e) {
    const err = tail.trim()
    throw new Error(`${message(e)}${err ? `: ${err}` : ""}`)
  }
}

async function attempt(transport: Transport, timeout: number, signal?: AbortSignal): Promise<Connection> {
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js")
  const client = new Client({ name: "opencode", version: VERSION })
  let timer: Timer | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout)
  })
  try {
    await Promise.race([client.connect(transport, { timeout, signal }), timedOut])
    return { client, stderr: () => "" }
  } catch (e) {
    // Not awaited: a stdio server that ignores stdin closing takes seconds to be killed.
    client.close().catch(() => {})
    transport.close().catch(() => {})
    throw e
  } finally {
    clearTimeout(timer)
  }
}

function withHeaders(headers: Record<string, string> | undefined) {
  return (input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as any), ...headers } })
}

function isHttp401(e: unknown) {
  const err = e as { name?: string; code?: number; message?: string }
  return err?.name === "UnauthorizedError" || err?.code === 401 || /\b401\b/.test(err?.message ?? "")
}

// The SDK says "does not support dynamic client registration" when neither a client id is
// configured nor can one be obtained.
// OAuth errors from discovery or registration carry an `errorCode` (the SDK's OAuthError).
function isRegistration(e: unknown) {
  return /client registration/i.test((e as Error)?.message ?? "") || typeof (e as { errorCode?: unknown })?.errorCode === "string"
}

function authError(e: unknown, oauth: boolean) {
  if (!oauth) return new Error("the server requires authorization (HTTP 401) and OAuth is off for it (`oauth: false`): put the credentials in its `headers`")
  if (isRegistration(e))
    return new McpAuthRequired(
      "needs_client_registration",
      `the server requires authorization and did not register us as an OAuth client (${message(e).slice(0, 200)}): set \`oauth.clientId\` (and \`clientSecret\`) in its config, or give credentials in its \`headers\``,
    )
  return new McpAuthRequired("needs_auth", "the server requires a sign-in: POST /mcp/:name/auth (or /auth/authenticate)")
}

function message(e: unknown) {
  const m = e instanceof Error ? e.message : String(e)
  return m || (e as Error)?.name || "connection failed"
}
