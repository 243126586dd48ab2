import fuzzysort, { type Snapshot } from "fuzzysort"
import type { Instance } from "../project/instance"
import { listFiles } from "./search"
import { watcherOf } from "./project-watcher"
import type { Change } from "./watcher"

/** With a watcher keeping the list current a rebuild is only a safety net; without one, the list goes stale fast. */
const MAX_AGE_WATCHED_MS = 60_000
const MAX_AGE_UNWATCHED_MS = 2_000

export type IndexView = {
  files: string[]
  /** Every directory holding a kept file, "/"-terminated. */
  dirs: string[]
  search(kind: "file" | "directory" | "all"): Snapshot
}

/**
 * The project's file list for fuzzy finding: listed once by the search engine (rg or its walker),
 * then kept current from the watcher's changes, so a warm query never touches the disk.
 */
export class FileIndex {
  private files = new Set<string>()
  private builtAt = 0
  private building: Promise<void> | undefined
  private during: Change[] | undefined
  private view: IndexView | undefined
  private stop: (() => void) | undefined

  constructor(private instance: Instance) {
    this.stop = watcherOf(instance)?.on((changes) => this.apply(changes))
  }

  async current(): Promise<IndexView> {
    const age = Date.now() - this.builtAt
    if (!this.builtAt) await this.rebuild()
    else if (this.stop && age > MAX_AGE_WATCHED_MS) void this.rebuild()
    else if (!this.stop && age > MAX_AGE_UNWATCHED_MS) await this.rebuild()
    return (this.view ??= makeView(this.files))
  }

  dispose() {
    this.stop?.()
  }

  private rebuild(): Promise<void> {
    this.building ??= (async () => {
      this.during = []
      try {
        const next = new Set((await listFiles(this.instance, this.instance.directory)).files)
        this.files = next
        for (const c of this.during) applyTo(next, c)
        this.builtAt = Date.now()
        this.view = undefined
      } finally {
        this.during = undefined
        this.building = undefined
      }
    })()
    return this.building
  }

  private apply(changes: Change[]) {
    for (const c of changes) {
      applyTo(this.files, c)
      this.during?.push(c)
    }
    this.view = undefined
  }
}

function applyTo(files: Set<string>, c: Change) {
  if (!c.dir) {
    if (c.event === "add") files.add(c.rel)
    else if (c.event === "unlink") files.delete(c.rel)
    return
  }
  if (c.event !== "unlink") return
  const prefix = c.rel + "/"
  for (const f of files) if (f.startsWith(prefix)) files.delete(f)
}

function makeView(set: Set<string>): IndexView {
  const files = [...set]
  const seen = new Set<string>()
  const dirs: string[] = []
  for (const f of files) {
    for (let cut = f.lastIndexOf("/"); cut > 0; cut = f.lastIndexOf("/", cut - 1)) {
      const d = f.slice(0, cut + 1)
      if (seen.has(d)) break
      seen.add(d)
      dirs.push(d)
    }
  }
  const snapshots = new Map<string, Snapshot>()
  const targets = { file: files, directory: dirs, all: () => files.concat(dirs) }
  return {
    files,
    dirs,
    search(kind) {
      let s = snapshots.get(kind)
      if (!s) snapshots.set(kind, (s = fuzzysort.snapshot(kind === "all" ? targets.all() : targets[kind])))
      return s
    },
  }
}
