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
export async function connect(config: McpConfig, directory: string, timeout: number, signal?: AbortSignal): Promise<Connection> {
  if (config.type === "local") return connectLocal(config, directory, timeout, signal)
  let url: URL
  try {
    url = new URL(config.url)
  } catch {
    throw new Error(`invalid URL: ${config.url}`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`unsupported URL scheme ${url.protocol} (http or https expected)`)
  const requestInit = { headers: config.headers ?? {} }
  // The SDK (several MB once evaluated) loads with the first connection, not at start-up.
  const [{ StreamableHTTPClientTransport }, { SSEClientTransport }] = await Promise.all([
    import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
    import("@modelcontextprotocol/sdk/client/sse.js"),
  ])
  try {
    return await attempt(new StreamableHTTPClientTransport(url, { requestInit }), timeout, signal)
  } catch (first) {
    if (isAuth(first)) throw authError()
    if (signal?.aborted) throw first
    try {
      return await attempt(new SSEClientTransport(url, { requestInit, eventSourceInit: { fetch: withHeaders(config.headers) } }), timeout, signal)
    } catch (second) {
      if (isAuth(second)) throw authError()
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

function isAuth(e: unknown) {
  const err = e as { name?: string; code?: number; message?: string }
  return err?.name === "UnauthorizedError" || err?.code === 401 || /\b401\b/.test(err?.message ?? "")
}

function authError() {
  return new Error(
    "the server requires authorization (HTTP 401); OAuth is not supported by this server: put the credentials in the server's `headers`",
  )
}

function message(e: unknown) {
  const m = e instanceof Error ? e.message : String(e)
  return m || (e as Error)?.name || "connection failed"
}
