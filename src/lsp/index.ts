import path from "node:path"
import type { Instance } from "../project/instance"
import { contains } from "../project/paths"
import { getConfig } from "../config/config"
import { Bus } from "../bus"
import { createLog } from "../util/log"
import { LspClient } from "./client"
import { LspClientDiagnostics, LspUpdated } from "./events"
import { findCommand, handles, resolveSpecs, type ServerSpec } from "./servers"
import { formatErrors } from "./diagnostics"
import type { LspStatus, Symbol } from "./schema"
import { numberSetting } from "../global/settings"

export type { LspStatus, Symbol } from "./schema"

const log = createLog("lsp")

const DIAGNOSTICS_WAIT = numberSetting("OPENCODE_LSP_DIAGNOSTICS_WAIT", 5_000)
// A cold server first loads the whole project (tsserver: ~4 s idle, 12 s on a busy 2-core box).
const FIRST_DIAGNOSTICS_WAIT = numberSetting("OPENCODE_LSP_FIRST_DIAGNOSTICS_WAIT", 20_000)
const MAX_SYMBOLS = 200

type Entry = { id: string; name: string; root: string; client?: LspClient; error?: string; hidden?: boolean }

type State = {
  /** One entry per server id and root: a running client or why it could not start. */
  entries: Map<string, Entry>
  starting: Map<string, Promise<Entry>>
  stop: AbortController
}

function state(instance: Instance): State {
  return instance.state<State>(
    "lsp",
    () => ({ entries: new Map(), starting: new Map(), stop: new AbortController() }),
    async (s) => {
      s.stop.abort()
      const pending = await Promise.all(s.starting.values())
      const clients = [...s.entries.values(), ...pending].flatMap((e) => (e.client ? [e.client] : []))
      await Promise.all([...new Set(clients)].map((c) => c.shutdown()))
    },
  )
}

/** Opens (or re-syncs) the file in every language server for its type, starting them on demand. */
export async function touchFile(instance: Instance, absPath: string): Promise<void> {
  const file = path.resolve(absPath)
  if (!contains(instance.worktree, file) && !contains(instance.directory, file)) return
  const specs = resolveSpecs((await getConfig(instance)).lsp).filter((s) => handles(s, file))
  await Promise.all(
    specs.map(async (spec) => {
      const entry = await ensure(instance, spec, file)
      await entry.client?.touch(file).catch((e) => log.warn("touch failed", { server: spec.id, error: e }))
    }),
  )
}

/** Errors the language servers report for the file, formatted for the model; "" when none. */
export async function diagnosticsFor(instance: Instance, absPath: string): Promise<string> {
  const file = path.resolve(absPath)
  const reported = await Promise.all(
    running(instance).map(async (c) => {
      await c.waitForDiagnostics(file, c.warm ? DIAGNOSTICS_WAIT : FIRST_DIAGNOSTICS_WAIT)
      return { server: c.serverID, diagnostics: c.diagnosticsOf(file) }
    }),
  )
  return formatErrors(file, instance.directory, reported)
}

export async function workspaceSymbols(instance: Instance, query: string): Promise<Symbol[]> {
  const results = await Promise.all(running(instance).map((c) => c.workspaceSymbols(query)))
  const out: Symbol[] = []
  for (const s of results.flat()) {
    if (!("range" in s.location)) continue
    out.push({ name: s.name, kind: s.kind, location: { uri: s.location.uri, range: s.location.range } })
    if (out.length >= MAX_SYMBOLS) break
  }
  return out
}

export function status(instance: Instance): LspStatus[] {
  return [...state(instance).entries.values()].filter((e) => !e.hidden).map((e) => ({
    id: e.id,
    name: e.name,
    root: path.relative(instance.directory, e.root),
    status: e.client?.status === "connected" ? "connected" : "error",
  }))
}

/** Every client that is up, for callers that look across servers. */
function running(instance: Instance): LspClient[] {
  return [...state(instance).entries.values()].flatMap((e) => (e.client?.status === "connected" ? [e.client] : []))
}

/** The entry for this server and the file's root; a broken one is not retried until dispose. */
function ensure(instance: Instance, spec: ServerSpec, file: string): Promise<Entry> {
  const s = state(instance)
  const stop = instance.worktree
  const root = spec.root(file, stop) ?? instance.directory
  const key = `${spec.id}\0${root}`
  const known = s.entries.get(key)
  if (known) return Promise.resolve(known)
  let p = s.starting.get(key)
  if (p) return p
  p = start(instance, spec, root, s.stop.signal).then((entry) => {
    s.entries.set(key, entry)
    s.starting.delete(key)
    Bus.publish(instance.directory, LspUpdated, {})
    return entry
  })
  s.starting.set(key, p)
  return p
}

async function start(instance: Instance, spec: ServerSpec, root: string, signal: AbortSignal): Promise<Entry> {
  const { command, found } = findCommand(spec, root, instance.worktree)
  const name = path.basename(command[0]!)
  // A built-in server that isn't installed is simply not used; a configured one is an error.
  if (!found && !command[0]!.includes(path.sep))
    return { id: spec.id, name, root, error: `${command[0]} was not found on PATH or in node_modules/.bin`, hidden: !spec.custom }
  try {
    const client = await LspClient.start({
      serverID: spec.id,
      root,
      command,
      env: spec.env,
      initialization: spec.initialization,
      signal,
      onDiagnostics: (file) => Bus.publish(instance.directory, LspClientDiagnostics, { serverID: spec.id, path: file }),
      onExit: (_c, reason) => {
        log.warn("language server stopped", { server: spec.id, root, reason })
        Bus.publish(instance.directory, LspUpdated, {})
      },
    })
    log.info("language server started", { server: spec.id, root, command })
    return { id: spec.id, name, root, client }
  } catch (e) {
    const error = (e as Error).message
    log.warn("language server failed to start", { server: spec.id, root, error })
    return { id: spec.id, name, root, error }
  }
}
