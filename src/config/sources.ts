import fs from "node:fs"
import path from "node:path"
import { Paths } from "../global/paths"
import { setting } from "../global/settings"

/** One place a piece of config comes from, in increasing precedence. */
export type Source =
  | { kind: "json"; file: string }
  | { kind: "markdown"; file: string; section: "agent" | "command" | "mode"; name: string }
  | { kind: "inline"; file: "OPENCODE_CONFIG_CONTENT"; text: string }

export type Located = Source & { signature: string }

const PROJECT_FILES = ["opencode.json", "opencode.jsonc"]
const MD_DIRS: Array<[string, "agent" | "command" | "mode"]> = [
  ["agent", "agent"],
  ["agents", "agent"],
  ["command", "command"],
  ["commands", "command"],
  ["mode", "mode"],
  ["modes", "mode"],
]

/**
 * Every config source for a directory, lowest precedence first: global files, OPENCODE_CONFIG,
 * project opencode.json[c] from the worktree root down to the directory, the `.opencode/`
 * directories (global config dir, ~/.opencode, then project ones root-down), and last
 * OPENCODE_CONFIG_CONTENT. Nearer files win over farther ones.
 */
export function listSources(directory: string, worktree: string): Located[] {
  const out: Located[] = []
  const seen = new Set<string>()
  const json = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const sig = signature(file)
    if (sig) out.push({ kind: "json", file, signature: sig })
  }
  const dotDir = (dir: string, files: string[]) => {
    // One readdir tells which of the dozen candidate files and folders exist: this runs on
    // every getConfig call, so absent ones must cost nothing.
    const present = new Set(entries(dir))
    for (const f of files) if (present.has(f)) json(path.join(dir, f))
    for (const [sub, section] of MD_DIRS) {
      if (!present.has(sub)) continue
      for (const { file, name } of markdownFiles(path.join(dir, sub))) {
        if (seen.has(file)) continue
        seen.add(file)
        out.push({ kind: "markdown", file, section, name, signature: signature(file) ?? "gone" })
      }
    }
  }

  for (const f of ["config.json", "opencode.json", "opencode.jsonc"]) json(path.join(Paths.config, f))
  const custom = setting("OPENCODE_CONFIG")
  if (custom) json(path.resolve(custom))
  const levels = ancestry(directory, worktree)
  for (const dir of levels) for (const f of PROJECT_FILES) json(path.join(dir, f))
  dotDir(Paths.config, [])
  dotDir(path.join(Paths.home, ".opencode"), PROJECT_FILES)
  for (const dir of levels) dotDir(path.join(dir, ".opencode"), PROJECT_FILES)
  const inline = setting("OPENCODE_CONFIG_CONTENT")
  if (inline) out.push({ kind: "inline", file: "OPENCODE_CONFIG_CONTENT", text: inline, signature: inline })
  return out
}

/** The worktree root first, the directory itself last; only the directory when outside it. */
export function ancestry(directory: string, worktree: string): string[] {
  const rel = path.relative(worktree, directory)
  if (rel.startsWith("..") || path.isAbsolute(rel)) return [directory]
  const dirs = [worktree]
  let cur = worktree
  for (const part of rel.split(path.sep).filter(Boolean)) {
    cur = path.join(cur, part)
    dirs.push(cur)
  }
  return dirs
}

/** Cheap change detector: a file's identity and last write, or undefined when absent. */
function signature(file: string): string | undefined {
  try {
    const s = fs.statSync(file, { throwIfNoEntry: false })
    return s?.isFile() ? `${s.ino}:${s.size}:${s.mtimeMs}` : undefined
  } catch {
    return undefined
  }
}

function entries(dir: string): string[] {
  try {
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return []
    return fs.readdirSync(dir)
  } catch {
    return []
  }
}

/** `*.md` under dir, recursively; nested files are named by their relative path (`review/security`). */
function markdownFiles(dir: string): Array<{ file: string; name: string }> {
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true, recursive: true })
  } catch {
    return []
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".md"))
    .map((e) => {
      const file = path.join(e.parentPath, e.name)
      return { file, name: path.relative(dir, file).slice(0, -3).split(path.sep).join("/") }
    })
    .sort((a, b) => a.file.localeCompare(b.file))
}
