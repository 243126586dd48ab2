import fs from "node:fs"
import path from "node:path"
import ignore, { type Ignore } from "ignore"
import type { Instance } from "../project/instance"

// Folders that are never worth watching even when no .gitignore names them: dependency
// stores, build output, caches, other VCS metadata. Watching them costs inotify watches and
// wakes the server on every install or build.
const HEAVY_DIRS = new Set([
  "node_modules", "bower_components", ".pnpm-store", ".yarn-cache",
  ".git", ".hg", ".svn", ".jj",
  "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".venv",
  ".gradle", ".next", ".nuxt", ".svelte-kit", ".turbo", ".parcel-cache", ".cache", ".output",
  "dist", "build", "out", "target", "coverage", ".nyc_output", ".idea",
])
const NOISE_FILES = /(^\.DS_Store$|^Thumbs\.db$|\.sw[po]$|~$|\.pyc$|^\.#)/
/** Paths tested before the matchers (and the results `ignore` memoises) are rebuilt. */
const RESULT_CACHE_LIMIT = 5_000

export type RulesOptions = {
  /** Also ignore HEAVY_DIRS and editor/OS noise files (the watcher wants this; listings don't). */
  heavy?: boolean
}

/**
 * The ignore rules of one project directory, read the way git and ripgrep read them: every
 * directory's .gitignore (inside a git repository) and .ignore, from the repository root
 * down, deeper files overriding shallower ones, and nothing below an ignored directory ever
 * coming back. `.git` itself is always ignored. Rule files are read once per directory and
 * cached; `invalidate` drops them when one changes.
 */
export class IgnoreRules {
  private texts = new Map<string, string | null>()
  private rules = new Map<string, Ignore | null>()
  private dirMemo = new Map<string, boolean>()
  private tests = 0
  private base: string
  private prefix: string

  /** `base` is where rule files start to count: the repository root, or `root` itself. */
  constructor(
    readonly root: string,
    base: string,
    readonly git: boolean,
    readonly opts: RulesOptions = {},
  ) {
    this.base = base
    this.prefix = toPosix(path.relative(base, root))
    // A project opened inside a folder its repository ignores would see nothing at all:
    // there, as ripgrep does, only the rules from the project directory down apply.
    if (this.prefix && this.dirIgnored(this.prefix)) {
      this.base = root
      this.prefix = ""
      this.invalidate()
    }
  }

  /** Rules apply from the repository root when the directory is inside one. */
  static of(instance: Instance, opts: RulesOptions = {}) {
    const git = instance.project.vcs === "git"
    const rel = path.relative(instance.worktree, instance.directory)
    const inside = !rel.startsWith("..") && !path.isAbsolute(rel)
    return new IgnoreRules(instance.directory, git && inside ? instance.worktree : instance.directory, git, opts)
  }

  /** `rel` is relative to the project directory, "/"-separated. */
  ignores(rel: string, isDir: boolean): boolean {
    if (!rel) return false
    const full = this.prefix ? `${this.prefix}/${rel}` : rel
    const cut = full.lastIndexOf("/")
    if (cut > 0 && this.dirIgnored(full.slice(0, cut))) return true
    return this.match(full, isDir)
  }

  /** Forget cached rule files (all, or those of one directory relative to the root). */
  invalidate(dirRel?: string) {
    if (dirRel === undefined) this.texts.clear()
    else this.texts.delete(this.prefix ? (dirRel ? `${this.prefix}/${dirRel}` : this.prefix) : dirRel)
    this.rules.clear()
    this.dirMemo.clear()
  }

  private dirIgnored(dir: string): boolean {
    const hit = this.dirMemo.get(dir)
    if (hit !== undefined) return hit
    const cut = dir.lastIndexOf("/")
    const result = (cut > 0 && this.dirIgnored(dir.slice(0, cut))) || this.match(dir, true)
    this.dirMemo.set(dir, result)
    return result
  }

  private match(full: string, isDir: boolean): boolean {
    const name = full.slice(full.lastIndexOf("/") + 1)
    if (name === ".git") return true
    if (this.opts.heavy && (isDir ? HEAVY_DIRS.has(name) : NOISE_FILES.test(name))) return true
    // The deepest rule file with an opinion wins, as in git.
    let cut = full.length
    while (cut >= 0) {
      cut = full.lastIndexOf("/", cut - 1)
      const dir = cut < 0 ? "" : full.slice(0, cut)
      const rules = this.load(dir)
      if (rules) {
        const sub = full.slice(cut + 1) + (isDir ? "/" : "")
        // `ignore` memoises every path it has seen; rebuilding the matchers now and then
        // keeps a scan of a large tree from holding tens of MB of results no one asks again.
        if (++this.tests > RESULT_CACHE_LIMIT) {
          this.tests = 0
          this.rules.clear()
        }
        const r = rules.test(sub)
        if (r.ignored) return true
        if (r.unignored) return false
      }
      if (cut < 0) break
    }
    return false
  }

  private load(dir: string): Ignore | null {
    const hit = this.rules.get(dir)
    if (hit !== undefined) return hit
    const text = this.read(dir)
    const ig = text === null ? null : ignore().add(text)
    this.rules.set(dir, ig)
    return ig
  }

  /** The directory's rule files, concatenated in precedence order; null when it has none. */
  private read(dir: string): string | null {
    const hit = this.texts.get(dir)
    if (hit !== undefined) return hit
    const abs = path.join(this.base, dir)
    const sources = [...(this.git ? [".gitignore"] : []), ".ignore"]
    if (this.git && dir === "") sources.unshift(".git/info/exclude")
    const parts: string[] = []
    for (const name of sources) {
      try {
        parts.push(fs.readFileSync(path.join(abs, name), "utf8"))
      } catch {}
    }
    const text = parts.length ? parts.join("\n") : null
    this.texts.set(dir, text)
    return text
  }
}

export function toPosix(p: string) {
  return path.sep === "/" ? p : p.split(path.sep).join("/")
}

/** True for the names of files whose change alters the rules. */
export function isRuleFile(name: string) {
  return name === ".gitignore" || name === ".ignore"
}
