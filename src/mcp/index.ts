import type { Tool } from "@modelcontextprotocol/sdk/types.js"
import type { Instance } from "../project/instance"
import type { ToolDef } from "../tool/tool"
import { getConfig, onConfigChange } from "../config/config"
import { Bus } from "../bus"
import { BadRequestError, NotFoundError, errorMessage } from "../util/error"
import { createLog } from "../util/log"
import { McpAuthRequired, connect, type Connection } from "./transport"
import { toToolDef } from "./tools"
import { configProblem } from "./validate"
import { McpToolsChanged } from "./events"
import type { McpConfig, McpStatus } from "./schema"
import { numberSetting } from "../global/settings"

export type { McpConfig, McpStatus } from "./schema"

const log = createLog("mcp")

const CONNECT_TIMEOUT = 30_000
const LIST_TIMEOUT = 5_000
const callTimeout = () => numberSetting("OPENCODE_MCP_TOOL_TIMEOUT", 300_000)

type Entry = {
  config: McpConfig
  status: McpStatus
  conn?: Connection
  tools: Tool[]
  /** Bumped on every (re)connect or close, so late events of an old connection are ignored. */
  gen: number
  /** Added by POST /mcp: kept when the config changes, since no config file names it. */
  fromApi?: boolean
}

type State = { entries: Map<string, Entry>; ready: Promise<void>; stop: AbortController }

function state(instance: Instance): State {
  return instance.state<State>(
    "mcp",
    () => {
      const s: State = { entries: new Map(), ready: Promise.resolve(), stop: new AbortController() }
      s.ready = load(instance, s)
      return s
    },
    // Not waiting for `ready`: connections still in progress are aborted, and any that
    // complete anyway see their entry closed (its gen bumped) and close themselves.
    (s) => {
      s.stop.abort()
      return Promise.all([...s.entries.values()].map(close))
    },
  )
}

/** Connects every server of config `mcp` at once; one failing never blocks the others. */
async function load(instance: Instance, s: State) {
  const servers = ((await getConfig(instance)).mcp ?? {}) as Record<string, unknown>
  if (s.stop.signal.aborted) return
  await reconcile(instance, s, servers)
}

// A changed `mcp` section (PATCH /config or an edited file) takes effect without a restart:
// new or changed servers (re)connect, removed ones close, untouched ones keep their connection.
onConfigChange((instance, config) => {
  const s = instance.peek<State>("mcp")
  if (s) s.ready = s.ready.then(() => reconcile(instance, s, (config.mcp ?? {}) as Record<string, unknown>))
})

async function reconcile(instance: Instance, s: State, servers: Record<string, unknown>) {
  for (const [name, e] of [...s.entries]) {
    if (e.fromApi || name in servers) continue
    s.entries.delete(name)
    const had = e.tools.length > 0
    await close(e)
    if (had) Bus.publish(instance.directory, McpToolsChanged, { server: name })
  }
  await Promise.all(
    Object.entries(servers).map(async ([name, config]) => {
      const old = s.entries.get(name)
      if (old && !old.fromApi && JSON.stringify(old.config) === JSON.stringify(config)) return
      if (old) await close(old)
      const problem = configProblem(config)
      const entry: Entry = { config: config as McpConfig, status: { status: "disabled" }, tools: [], gen: (old?.gen ?? 0) + 1 }
      s.entries.set(name, entry)
      if (problem) entry.status = { status: "failed", error: `invalid config: ${problem}` }
      else if (entry.config.enabled !== false) await open(instance, s, name, entry)
      else if (old?.tools.length) Bus.publish(instance.directory, McpToolsChanged, { server: name })
    }),
  )
}

/** Tools of every connected server, as agent tools named `<server>_<tool>`. */
export async function mcpTools(instance: Instance): Promise<ToolDef[]> {
  const s = state(instance)
  await s.ready
  return [...s.entries].flatMap(([name, e]) =>
    e.conn && e.status.status === "connected" ? e.tools.map((t) => toToolDef(name, e.conn!.client, t, callTimeout())) : [],
  )
}

export async function status(instance: Instance): Promise<Record<string, McpStatus>> {
  const s = state(instance)
  await s.ready
  return Object.fromEntries([...s.entries].map(([name, e]) => [name, e.status]))
}

/** Adds (or replaces) a server for this instance's lifetime and connects it unless disabled. */
export async function add(instance: Instance, name: string, config: McpConfig): Promise<Record<string, McpStatus>> {
  const problem = configProblem(config)
  if (problem) throw new BadRequestError(`Invalid MCP config for "${name}": ${problem}`, "Body")
  const s = state(instance)
  await s.ready
  const old = s.entries.get(name)
  if (old) await close(old)
  const entry: Entry = { config, status: { status: "disabled" }, tools: [], gen: (old?.gen ?? 0) + 1, fromApi: true }
  s.entries.set(name, entry)
  if (config.enabled !== false) await open(instance, s, name, entry)
  else if (old?.tools.length) Bus.publish(instance.directory, McpToolsChanged, { server: name })
  return status(instance)
}

/** (Re)connects a known server, disabled ones included; true when it is connected. */
export async function connectServer(instance: Instance, name: string): Promise<boolean> {
  const entry = await find(instance, name)
  await close(entry)
  await open(instance, state(instance), name, entry)
  return entry.status.status === "connected"
}

export async function disconnectServer(instance: Instance, name: string): Promise<boolean> {
  const entry = await find(instance, name)
  const had = entry.tools.length > 0
  await close(entry)
  entry.status = { status: "disabled" }
  if (had) Bus.publish(instance.directory, McpToolsChanged, { server: name })
  return true
}

/** A known server's config (404 for an unknown one), for the OAuth endpoints. */
export async function serverConfig(instance: Instance, name: string): Promise<McpConfig> {
  return (await find(instance, name)).config
}

async function find(instance: Instance, name: string): Promise<Entry> {
  const s = state(instance)
  await s.ready
  const entry = s.entries.get(name)
  if (!entry) throw new NotFoundError(`MCP server not found: ${name}`)
  return entry
}

async function open(instance: Instance, s: State, name: string, entry: Entry) {
  const gen = ++entry.gen
  const timeout = entry.config.timeout
  // The SDK loads with the first connection rather than at start-up.
  const { ToolListChangedNotificationSchema } = await import("@modelcontextprotocol/sdk/types.js")
  let conn: Connection | undefined
  try {
    conn = await connect(entry.config, instance.directory, timeout ?? CONNECT_TIMEOUT, s.stop.signal, name)
    const tools = (await conn.client.listTools(undefined, { timeout: timeout ?? LIST_TIMEOUT })).tools
    if (gen !== entry.gen) return void (await conn.client.close().catch(() => {}))
    Object.assign(entry, { conn, tools, status: { status: "connected" } })
  } catch (e) {
    await conn?.client.close().catch(() => {})
    if (gen !== entry.gen) return
    entry.status =
      e instanceof McpAuthRequired
        ? e.status === "needs_auth"
          ? { status: "needs_auth" }
          : { status: "needs_client_registration", error: e.message }
        : { status: "failed", error: errorMessage(e) || "connection failed" }
    log.warn("MCP server not connected", { server: name, status: entry.status.status, error: errorMessage(e) })
    return
  }
  const client = conn.client
  const changed = () => Bus.publish(instance.directory, McpToolsChanged, { server: name })
  client.onerror = (e) => log.debug("MCP transport error", { server: name, error: e })
  client.onclose = () => {
    if (gen !== entry.gen) return
    const tail = conn.stderr()
    entry.status = { status: "failed", error: `the server closed the connection${tail ? `: ${tail}` : ""}` }
    Object.assign(entry, { conn: undefined, tools: [] })
    log.warn("MCP server disconnected", { server: name })
    changed()
  }
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    try {
      const { tools } = await client.listTools(undefined, { timeout: timeout ?? LIST_TIMEOUT })
      if (gen === entry.gen) entry.tools = tools
      changed()
    } catch (e) {
      log.warn("MCP tools refresh failed", { server: name, error: e })
    }
  })
  log.info("MCP server connected", { server: name, tools: entry.tools.length })
  changed()
}

async function close(entry: Entry) {
  entry.gen++
  const conn = entry.conn
  Object.assign(entry, { conn: undefined, tools: [] })
  await conn?.client.close().catch(() => {})
}
