import fs from "node:fs"
import path from "node:path"
import { createLog } from "../util/log"
import { toPosix } from "./ignore"

const log = createLog("file.watcher")

/** A raw notification: `rel` changed; `rename` when it may have appeared or vanished. */
export type RawListener = (rel: string, rename: boolean) => void

export interface WatchBackend {
  /** Start watching one directory (relative to the root); false when it could not be. */
  watch(dirRel: string): boolean
  /** Stop watching a directory and everything under it. */
  unwatch(dirRel: string): void
  close(): void
}

/**
 * One non-recursive watch per directory (inotify on Linux). Unlike a recursive watch, this
 * lets ignored directories (node_modules, build output) go unwatched entirely, so their
 * churn costs neither kernel watches nor wake-ups. Capped so a huge tree degrades to
 * partial coverage with a warning instead of exhausting the user's inotify budget.
 */
export class DirectoryWatches implements WatchBackend {
  private watches = new Map<string, fs.FSWatcher>()
  private warned = false

  constructor(
    private root: string,
    private onRaw: RawListener,
    private max: number,
  ) {}

  get size() {
    return this.watches.size
  }

  watch(dirRel: string): boolean {
    if (this.watches.has(dirRel)) return true
    if (this.watches.size >= this.max) return this.limit(`more than ${this.max} directories`)
    try {
      const w = fs.watch(path.join(this.root, dirRel), { persistent: false }, (event, name) => {
        if (name) this.onRaw(dirRel ? `${dirRel}/${name}` : String(name), event === "rename")
      })
      w.on("error", () => this.unwatch(dirRel))
      this.watches.set(dirRel, w)
      return true
    } catch (e: any) {
      if (e?.code === "ENOSPC" || e?.code === "EMFILE") return this.limit(`the system watch limit (${e.code})`)
      return false
    }
  }

  unwatch(dirRel: string) {
    const prefix = dirRel + "/"
    for (const [key, w] of this.watches) {
      if (key !== dirRel && !key.startsWith(prefix)) continue
      w.close()
      this.watches.delete(key)
    }
  }

  close() {
    for (const w of this.watches.values()) w.close()
    this.watches.clear()
  }

  private limit(why: string) {
    if (!this.warned) log.warn("file watcher stopped adding directories", { root: this.root, reason: why })
    this.warned = true
    return false
  }
}

/**
 * One recursive watch on the root (FSEvents on macOS, ReadDirectoryChangesW on Windows): the
 * OS watches the tree as a whole there, so ignored directories cost only a filtered event.
 */
export class RecursiveWatch implements WatchBackend {
  private w: fs.FSWatcher | undefined

  constructor(root: string, onRaw: RawListener) {
    try {
      this.w = fs.watch(root, { recursive: true, persistent: false }, (event, name) => {
        if (name) onRaw(toPosix(String(name)), event === "rename")
      })
      this.w.on("error", (e) => log.warn("recursive watch failed", { root, error: e }))
    } catch (e) {
      log.warn("recursive watch unavailable", { root, error: e })
    }
  }

  watch() {
    return !!this.w
  }
  unwatch() {}
  close() {
    this.w?.close()
  }
}
