import fs from "node:fs"
import path from "node:path"
import ignore, { type Ignore } from "ignore"

// The search fallback when no ripgrep binary can run: a depth-first walk that honours
// .gitignore / .ignore files (nested ones and those above the start directory) the way rg does.

export type WalkEntry = { path: string; rel: string; dir: boolean }
export type WalkOptions = {
  /** The project root: .gitignore files between it and the start directory apply too. */
  top?: string
  /** Extra gitignore-style patterns, relative to the start directory. */
  exclude?: string[]
  includeDirs?: boolean
  /** Level by level instead of depth first, so a capped listing still shows the top levels. */
  breadthFirst?: boolean
  /** Report symlinks as entries (never followed). */
  symlinks?: boolean
  signal?: AbortSignal
}

type Matcher = { base: string; ig: Ignore }

const IGNORE_FILES = [".gitignore", ".ignore"]

export async function* walk(root: string, opts: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const base: Matcher[] = [...parentMatchers(root, opts.top)]
  if (opts.exclude?.length) base.push({ base: root, ig: ignore().add(opts.exclude) })
  const pending: Array<{ dir: string; matchers: Matcher[] }> = [{ dir: root, matchers: base }]
  while (pending.length) {
    if (opts.signal?.aborted) return
    const { dir, matchers: inherited } = opts.breadthFirst ? pending.shift()! : pending.pop()!
    const own = readMatcher(dir)
    const matchers = own ? [...inherited, own] : inherited
    let entries: fs.Dirent[]
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true })
    } catch {
      continue
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1))
    const subdirs: string[] = []
    for (const e of entries) {
      if (e.name === ".git") continue
      const full = path.join(dir, e.name)
      const isDir = e.isDirectory()
      if (ignored(matchers, full, isDir)) continue
      // Never followed, as rg does without --follow: a link may lead out of the project.
      if (e.isSymbolicLink()) {
        if (opts.symlinks) yield { path: full, rel: path.relative(root, full), dir: false }
      } else if (isDir) {
        subdirs.push(full)
        if (opts.includeDirs) yield { path: full, rel: path.relative(root, full), dir: true }
      } else yield { path: full, rel: path.relative(root, full), dir: false }
    }
    if (!opts.breadthFirst) subdirs.reverse()
    for (const d of subdirs) pending.push({ dir: d, matchers })
  }
}

function ignored(matchers: Matcher[], full: string, isDir: boolean): boolean {
  let state = false
  for (const m of matchers) {
    const rel = path.relative(m.base, full)
    if (!rel || rel.startsWith("..")) continue
    const r = m.ig.test(isDir ? rel + "/" : rel)
    if (r.ignored) state = true
    else if (r.unignored) state = false
  }
  return state
}

function readMatcher(dir: string): Matcher | undefined {
  let ig: Ignore | undefined
  for (const name of IGNORE_FILES) {
    let text: string
    try {
      text = fs.readFileSync(path.join(dir, name), "utf8")
    } catch {
      continue
    }
    ig = (ig ?? ignore()).add(text)
  }
  return ig ? { base: dir, ig } : undefined
}

function parentMatchers(root: string, top?: string): Matcher[] {
  if (!top) return []
  const rel = path.relative(top, root)
  if (!rel || rel.startsWith("..") || path.isAbsolute(rel)) return []
  const out: Matcher[] = []
  let dir = top
  for (const part of rel.split(path.sep)) {
    const m = readMatcher(dir)
    if (m) out.push(m)
    dir = path.join(dir, part)
  }
  return out
}
