import fuzzysort, { type Snapshot } from "fuzzysort"
import type { Instance } from "../project/instance"
import { createLog } from "../util/log"
import { IgnoreRules } from "./ignore"
import { rgPath } from "./ripgrep"
import { walk } from "./walk"
import { watcherOf } from "./project-watcher"
import type { Change } from "./watcher"

const log = createLog("file.index")

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
 * The project's file list for fuzzy finding: listed once (rg --files, or the built-in walker),
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
        const next = new Set(await listFiles(this.instance))
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

/** Kept files relative to the directory, "/"-separated: hidden files included, .git never. */
export async function listFiles(instance: Instance): Promise<string[]> {
  const rg = await rgPath()
  if (rg) {
    const proc = Bun.spawn([rg, "--files", "--hidden", "--glob=!.git"], { cwd: instance.directory, stdout: "pipe", stderr: "pipe" })
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    // Exit 2 with output means some entries were unreadable: keep what rg could list.
    if (code === 0 || code === 1 || out) {
      if (code === 2) log.warn("rg --files reported errors", { stderr: err.slice(0, 500) })
      return out.split(/\r?\n/).filter(Boolean).map((f) => f.replaceAll("\\", "/"))
    }
    log.warn("rg --files failed; listing with the built-in walker", { code, stderr: err.slice(0, 500) })
  }
  const files: string[] = []
  for await (const e of walk(instance.directory, IgnoreRules.of(instance))) if (!e.dir) files.push(e.rel)
  return files
}
