import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process"
import fs from "node:fs/promises"
import path from "node:path"
import { pathToFileURL, fileURLToPath } from "node:url"
import type { MessageConnection } from "vscode-jsonrpc/node"
import type { Diagnostic, SymbolInformation, WorkspaceSymbol } from "vscode-languageserver-types"
import { languageId } from "./language"
import { capabilities } from "./capabilities"
import { createLog } from "../util/log"
import { childEnv } from "../util/child-env"
import { numberSetting } from "../global/settings"

const log = createLog("lsp")

const INIT_TIMEOUT = numberSetting("OPENCODE_LSP_INIT_TIMEOUT", 45_000)
const STDERR_TAIL = 2_000

export type ClientOptions = {
  serverID: string
  root: string
  command: string[]
  env?: Record<string, string>
  initialization?: Record<string, unknown>
  /** Aborting kills a server that is still starting (instance disposed meanwhile). */
  signal?: AbortSignal
  onDiagnostics(path: string): void
  onExit(client: LspClient, reason: string): void
}

type FileState = { version: number; pending: boolean; lastPublish: number }

/** One running language server for one root, spoken to over JSON-RPC on stdio. */
export class LspClient {
  status: "connected" | "error" = "connected"
  error?: string
  private files = new Map<string, FileState>()
  private diagnostics = new Map<string, Diagnostic[]>()
  private listeners = new Set<(file: string) => void>()
  private stderr = ""
  private closing = false
  private ready = false
  /** False until the server's first publish: the first answer includes loading the project. */
  warm = false

  private constructor(
    readonly opts: ClientOptions,
    private proc: ChildProcessWithoutNullStreams,
    private conn: MessageConnection,
  ) {}

  get serverID() {
    return this.opts.serverID
  }
  get root() {
    return this.opts.root
  }

  /** Spawns the server and completes the initialize handshake, or throws why it could not. */
  static async start(opts: ClientOptions): Promise<LspClient> {
    const [program, ...args] = opts.command
    // Loaded with the first language server rather than at start-up.
    const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = await import("vscode-jsonrpc/node")
    const proc = spawn(program!, args, { cwd: opts.root, env: childEnv(opts.env), stdio: "pipe" })
    const spawned = new Promise<void>((resolve, reject) => {
      proc.once("spawn", resolve)
      proc.once("error", reject)
    })
    // Without these listeners a missing binary or a closed pipe would be an uncaught error.
    proc.on("error", (e) => log.debug("process error", { server: opts.serverID, error: e }))
    proc.stdin.on("error", () => {})
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin))
    const client = new LspClient(opts, proc, conn)
    const stop = () => client.kill()
    opts.signal?.addEventListener("abort", stop)
    try {
      if (opts.signal?.aborted) throw new Error("stopped before it started")
      await spawned
      await client.initialize()
    } catch (e) {
      client.kill()
      const tail = client.stderr.trim()
      throw new Error(`${(e as Error).message ?? e}${tail ? `\n${tail}` : ""}`)
    } finally {
      opts.signal?.removeEventListener("abort", stop)
    }
    if (opts.signal?.aborted) {
      client.kill()
      throw new Error("stopped before it started")
    }
    return client
  }

  private async initialize() {
    const { conn, proc, opts } = this
    proc.stderr.on("data", (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-STDERR_TAIL)))
    const exited = new Promise<never>((_, reject) =>
      proc.once("exit", (code, signal) => {
        const reason = `exited with ${signal ?? `code ${code}`}`
        if (this.ready && !this.closing && this.status === "connected") {
          this.status = "error"
          this.error = reason
          opts.onExit(this, reason)
        }
        this.wake()
        reject(new Error(`language server ${reason}`))
      }),
    )
    exited.catch(() => {})
    conn.onNotification("textDocument/publishDiagnostics", (p: { uri: string; diagnostics: Diagnostic[] }) => {
      const file = normalize(p.uri)
      this.diagnostics.set(file, p.diagnostics)
      this.warm = true
      const st = this.files.get(file)
      if (st) Object.assign(st, { pending: false, lastPublish: Date.now() })
      opts.onDiagnostics(file)
      this.wake(file)
    })
    const folders = [{ uri: pathToFileURL(opts.root).href, name: path.basename(opts.root) }]
    conn.onRequest("workspace/configuration", (p: { items: unknown[] }) => p.items.map(() => opts.initialization ?? null))
    conn.onRequest("workspace/workspaceFolders", () => folders)
    conn.onRequest("client/registerCapability", () => null)
    conn.onRequest("client/unregisterCapability", () => null)
    conn.onRequest("window/workDoneProgress/create", () => null)
    conn.onRequest("window/showMessageRequest", () => null)
    conn.onError(([err]) => log.debug("connection error", { server: opts.serverID, error: err }))
    conn.listen()
    const init = conn.sendRequest("initialize", {
      processId: process.pid,
      rootUri: folders[0]!.uri,
      rootPath: opts.root,
      workspaceFolders: folders,
      initializationOptions: opts.initialization ?? {},
      capabilities,
    })
    let timer: Timer | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to initialize within ${INIT_TIMEOUT} ms`)), INIT_TIMEOUT)
    })
    try {
      await Promise.race([init, exited, timeout])
    } finally {
      clearTimeout(timer)
    }
    await conn.sendNotification("initialized", {})
    if (opts.initialization) await conn.sendNotification("workspace/didChangeConfiguration", { settings: opts.initialization })
    this.ready = true
  }

  /** didOpen on first touch, a full-text didChange after; diagnostics for the file become pending. */
  async touch(file: string) {
    if (this.status !== "connected") return
    let text: string
    try {
      text = await fs.readFile(file, "utf8")
    } catch {
      return
    }
    const uri = pathToFileURL(file).href
    const st = this.files.get(file)
    if (!st) {
      this.files.set(file, { version: 0, pending: true, lastPublish: 0 })
      await this.conn.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: languageId(file), version: 0, text } })
      return
    }
    st.version++
    st.pending = true
    await this.conn.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri, type: 2 }] })
    await this.conn.sendNotification("textDocument/didChange", { textDocument: { uri, version: st.version }, contentChanges: [{ text }] })
  }

  /**
   * Waits (bounded) until the server has published diagnostics for a touched file and then
   * stays quiet for `settle` ms: servers often publish syntax errors first, type errors later.
   */
  async waitForDiagnostics(file: string, timeout: number, settle = 250) {
    const deadline = Date.now() + timeout
    while (this.status === "connected") {
      const st = this.files.get(file)
      if (!st) return
      const left = deadline - Date.now()
      if (left <= 0) return
      if (!st.pending && Date.now() - st.lastPublish >= settle) return
      const wait = st.pending ? left : Math.min(left, settle - (Date.now() - st.lastPublish))
      await this.next(file, wait)
    }
  }

  diagnosticsOf(file: string): Diagnostic[] {
    return this.diagnostics.get(file) ?? []
  }

  async workspaceSymbols(query: string, timeout = 5_000): Promise<Array<SymbolInformation | WorkspaceSymbol>> {
    if (this.status !== "connected") return []
    let timer: Timer | undefined
    const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeout)))
    try {
      const res = await Promise.race([this.conn.sendRequest("workspace/symbol", { query }), timedOut])
      return Array.isArray(res) ? res : []
    } catch (e) {
      log.debug("workspace/symbol failed", { server: this.serverID, error: e })
      return []
    } finally {
      clearTimeout(timer)
    }
  }

  /** Polite shutdown with a short grace period, then the process is killed. */
  async shutdown() {
    if (this.closing) return
    this.closing = true
    if (this.status === "connected" && this.proc.exitCode === null) {
      const grace = new Promise((r) => setTimeout(r, 1_000))
      await Promise.race([this.conn.sendRequest("shutdown").then(() => this.conn.sendNotification("exit")), grace]).catch(() => {})
    }
    this.kill()
  }

  private kill() {
    this.closing = true
    this.conn.dispose()
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return
    this.proc.kill("SIGTERM")
    const hard = setTimeout(() => this.proc.kill("SIGKILL"), 1_000)
    hard.unref?.()
    this.proc.once("exit", () => clearTimeout(hard))
  }

  private next(file: string, ms: number) {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.listeners.delete(listener)
        resolve()
      }
      const listener = (f: string) => (f === file || f === "*") && done()
      const timer = setTimeout(done, ms)
      this.listeners.add(listener)
    })
  }

  private wake(file = "*") {
    for (const l of [...this.listeners]) l(file)
  }
}

function normalize(uri: string) {
  try {
    return path.normalize(fileURLToPath(uri))
  } catch {
    return uri
  }
}
