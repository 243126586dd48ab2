import fs from "node:fs"
import path from "node:path"
import { createHash } from "node:crypto"
import { Paths } from "../global/paths"
import type { Instance } from "../project/instance"

export type Shadow = { gitDir: string; worktree: string }
export type Run = { code: number; stdout: Uint8Array; stderr: string; text(): string }

/**
 * The shadow repository of one worktree, in our data directory. Keyed by project id AND
 * worktree, because clones of one repository share a project id but not their files.
 */
export function shadowOf(instance: Instance): Shadow {
  const worktree = instance.worktree
  const hash = createHash("sha1").update(worktree).digest("hex").slice(0, 16)
  const id = instance.project.id.replace(/[^A-Za-z0-9_.-]/g, "_")
  return { gitDir: path.join(Paths.data, "snapshot", id, hash), worktree }
}

// Only our own settings apply: a user's global config (autocrlf, hooksPath, fsmonitor, lfs
// filters) would make snapshots lossy or run code, and GIT_* variables from the parent
// environment could point git at the project's own repository.
function env() {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("GIT_")) out[k] = v
  return { ...out, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" }
}

const FLAGS = ["-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "--literal-pathspecs"]

export async function run(s: Shadow, args: string[], stdin?: string): Promise<Run> {
  const proc = Bun.spawn(["git", "--git-dir", s.gitDir, "--work-tree", s.worktree, ...FLAGS, ...args], {
    cwd: s.worktree,
    env: env(),
    stdin: stdin !== undefined ? new Blob([stdin as string]) : "ignore",
    stdout: "pipe",
    stderr: "pipe",
  })
  const [out, stderr, code] = await Promise.all([new Response(proc.stdout).arrayBuffer(), new Response(proc.stderr).text(), proc.exited])
  const stdout = new Uint8Array(out)
  return { code, stdout, stderr, text: () => new TextDecoder().decode(stdout) }
}

/** Like run, but a failure throws with git's own message. */
export async function must(s: Shadow, args: string[], stdin?: string): Promise<Run> {
  const r = await run(s, args, stdin)
  if (r.code !== 0) throw new Error(`snapshot: git ${args[0]} failed (${r.code}): ${r.stderr.trim()}`)
  return r
}

// Attributes of the project could turn on eol conversion or filters (git-lfs); ours override
// them so every snapshot and restore is byte for byte.
const ATTRIBUTES = "* -text -filter -ident -working-tree-encoding\n"

export async function ensure(s: Shadow) {
  if (!fs.existsSync(path.join(s.gitDir, "HEAD"))) {
    fs.mkdirSync(s.gitDir, { recursive: true, mode: 0o700 })
    await must(s, ["init", "-q"])
    for (const [k, v] of [
      ["core.autocrlf", "false"],
      ["core.untrackedCache", "true"],
      ["core.preloadIndex", "true"],
      ["index.version", "4"],
      ["gc.auto", "0"],
    ])
      await must(s, ["config", k, v])
  }
  const info = path.join(s.gitDir, "info")
  fs.mkdirSync(info, { recursive: true })
  writeIfChanged(path.join(info, "attributes"), ATTRIBUTES)
}

export function writeIfChanged(file: string, text: string) {
  let old: string | undefined
  try {
    old = fs.readFileSync(file, "utf8")
  } catch {}
  if (old !== text) fs.writeFileSync(file, text)
}

/** NUL-separated git output as strings. */
export function nul(r: Run): string[] {
  return r.text().split("\0").filter(Boolean)
}
