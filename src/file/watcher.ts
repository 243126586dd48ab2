import fs from "node:fs/promises"
import { readdirSync } from "node:fs"
import path from "node:path"
import { IgnoreRules, isRuleFile } from "./ignore"
import { DirectoryWatches, RecursiveWatch, type WatchBackend } from "./watch-backend"
import { createLog } from "../util/log"

const log = createLog("file.watcher")

export type Change = { rel: string; event: "add" | "change" | "unlink"; dir: boolean }
export type ChangeListener = (changes: Change[]) => void

/** Raw notifications arriving within this window are settled together (one stat each). */
const SETTLE_MS = 40
const MAX_WATCHED_DIRS = 20_000
/** Directories listed between two yields to the event loop while scanning. */
const SCAN_SLICE = 32

/**
 * Watches one project tree and reports settled add/change/unlink changes for what the
 * ignore rules keep. It remembers the names it has seen in each directory, which tells a
 * new file from a replaced one and drops files that came and went within one window (editor
 * swap files); the only I/O per notification is one lstat of the path that changed.
 */
export class ProjectWatcher {
  private known = new Map<string, Map<string, boolean>>()
  private pending = new Map<string, boolean>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private chain: Promise<void> = Promise.resolve()
  private listeners = new Set<ChangeListener>()
  private backend: WatchBackend
  private closed = false
  /** Resolves once the initial scan has finished and every directory is watched. */
  readonly ready: Promise<void>

  constructor(
    readonly root: string,
    readonly rules: IgnoreRules,
    opts: { recursive?: boolean } = {},
  ) {
    const onRaw = (rel: string, rename: boolean) => this.raw(rel, rename)
    const recursive = opts.recursive ?? (process.platform === "darwin" || process.platform === "win32")
    this.backend = recursive ? new RecursiveWatch(root, onRaw) : new DirectoryWatches(root, onRaw, MAX_WATCHED_DIRS)
    this.ready = this.scan("", undefined).catch((e) => log.warn("initial scan failed", { root, error: e }))
  }

  on(fn: ChangeListener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  get watchedDirectories() {
    return this.backend instanceof DirectoryWatches ? this.backend.size : 1
  }

  close() {
    this.closed = true
    clearTimeout(this.timer)
    this.backend.close()
    this.known.clear()
    this.listeners.clear()
  }

  private raw(rel: string, rename: boolean) {
    if (this.closed) return
    this.pending.set(rel, (this.pending.get(rel) ?? false) || rename)
    this.timer ??= setTimeout(() => {
      this.timer = undefined
      const batch = this.pending
      this.pending = new Map()
      this.chain = this.chain.then(() => this.settle(batch)).catch((e) => log.warn("settle failed", { error: e }))
    }, SETTLE_MS)
  }

  private async settle(batch: Map<string, boolean>) {
    const out: Change[] = []
    const rulesChanged = new Set<string>()
    for (const [rel, rename] of batch) {
      if (this.closed) return
      await this.resolve(rel, rename, out)
      const cut = rel.lastIndexOf("/")
      if (isRuleFile(rel.slice(cut + 1))) rulesChanged.add(cut < 0 ? "" : rel.slice(0, cut))
    }
    for (const dir of rulesChanged) {
      this.rules.invalidate(dir)
      // Directories the old rules hid may now be visible: watch and remember them quietly.
      await this.scan(dir, undefined)
    }
    if (!out.length) return
    for (const fn of this.listeners) {
      try {
        fn(out)
      } catch (e) {
        log.warn("listener failed", { error: e })
      }
    }
  }

  private async resolve(rel: string, rename: boolean, out: Change[]) {
    const cut = rel.lastIndexOf("/")
    const dir = cut < 0 ? "" : rel.slice(0, cut)
    const name = rel.slice(cut + 1)
    const entries = this.known.get(dir)
    // A directory we never scanned is ignored, or new and about to be scanned whole.
    if (!entries) return
    const was = entries.get(name)
    if (was === undefined && this.rules.ignores(rel, false) && this.rules.ignores(rel, true)) return
    if (!rename && was !== undefined) {
      if (!was && !this.rules.ignores(rel, false)) out.push({ rel, event: "change", dir: false })
      return
    }
    const stat = await fs.lstat(path.join(this.root, rel)).catch(() => undefined)
    if (!stat) {
      if (was === undefined) return
      this.forget(dir, name, was)
      if (!this.rules.ignores(rel, was)) out.push({ rel, event: "unlink", dir: was })
      return
    }
    const isDir = stat.isDirectory()
    if (was === isDir) {
      if (!isDir && !this.rules.ignores(rel, false)) out.push({ rel, event: "change", dir: false })
      return
    }
    if (was !== undefined) {
      this.forget(dir, name, was)
      out.push({ rel, event: "unlink", dir: was })
    }
    if (this.rules.ignores(rel, isDir)) return
    entries.set(name, isDir)
    out.push({ rel, event: "add", dir: isDir })
    // Whatever was created inside before its watch existed is reported by the scan.
    if (isDir) await this.scan(rel, out)
  }

  /**
   * Watches `start` and every kept directory below it, then lists it (watch first, so
   * nothing created in between is missed). With `out`, unseen entries are reported as added.
   */
  private async scan(start: string, out: Change[] | undefined) {
    const queue = [start]
    let listed = 0
    while (queue.length && !this.closed) {
      const dir = queue.pop()!
      if (!this.backend.watch(dir) && dir !== start) continue
      // Synchronous listing in short slices: a directory lists in microseconds, and Bun's
      // async readdir would spin up its thread pool, costing tens of MB of RSS on a big tree.
      if (++listed % SCAN_SLICE === 0) await new Promise((r) => setImmediate(r))
      let list: import("node:fs").Dirent[]
      try {
        list = readdirSync(path.join(this.root, dir), { withFileTypes: true })
      } catch {
        continue
      }
      let entries = this.known.get(dir)
      if (!entries) this.known.set(dir, (entries = new Map()))
      for (const e of list) {
        const isDir = e.isDirectory()
        const rel = dir ? `${dir}/${e.name}` : e.name
        if (this.rules.ignores(rel, isDir)) continue
        if (isDir) queue.push(rel)
        if (entries.has(e.name)) continue
        entries.set(e.name, isDir)
        out?.push({ rel, event: "add", dir: isDir })
      }
    }
  }

  private forget(dir: string, name: string, wasDir: boolean) {
    this.known.get(dir)?.delete(name)
    if (!wasDir) return
    const rel = dir ? `${dir}/${name}` : name
    const prefix = rel + "/"
    for (const key of this.known.keys()) if (key === rel || key.startsWith(prefix)) this.known.delete(key)
    this.backend.unwatch(rel)
  }
}
