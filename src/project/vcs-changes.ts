import path from "node:path"
import { t, type Static } from "../util/schema"
import type { Instance } from "./instance"
import { git } from "./git"
import { fileStatus } from "../file"
import { BadRequestError, NamedError } from "../util/error"

// The working tree's uncommitted changes, as the TUI's diff viewer shows them. Paths are
// relative to the repository root, as git prints them. Outside git there is nothing to show.

export const VcsFileStatus = t.Object(
  {
    file: t.String(),
    additions: t.Number(),
    deletions: t.Number(),
    status: t.Union([t.Literal("added"), t.Literal("deleted"), t.Literal("modified")]),
  },
  { $id: "VcsFileStatus" },
)
export type VcsFileStatus = Static<typeof VcsFileStatus>

export const VcsFileDiff = t.Object(
  {
    file: t.String(),
    patch: t.Optional(t.String({ description: "Unified diff; absent when too large to send" })),
    additions: t.Number(),
    deletions: t.Number(),
    status: t.Optional(t.Union([t.Literal("added"), t.Literal("deleted"), t.Literal("modified")])),
  },
  { $id: "VcsFileDiff" },
)
export type VcsFileDiff = Static<typeof VcsFileDiff>

export class VcsApplyError extends NamedError {
  constructor(message: string, reason: "non-git" | "not-clean") {
    super("VcsApplyError", { message, reason }, 400)
  }
}

// What `git diff` compares against in a repository without commits yet.
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
const MAX_FILE_PATCH = 256 * 1024
const MAX_TOTAL_PATCH = 4 * 1024 * 1024
const MAX_UNTRACKED_PATCHES = 200
const QUOTE = ["-c", "core.quotepath=false"]

export async function vcsStatus(instance: Instance): Promise<VcsFileStatus[]> {
  if (instance.project.vcs !== "git") return []
  const root = instance.worktree
  const files = await fileStatus(instance)
  return files
    .map((f) => ({ file: path.relative(root, path.join(instance.directory, f.path)), additions: f.added, deletions: f.removed, status: f.status }))
    .sort((a, b) => a.file.localeCompare(b.file))
}

/**
 * Changed files with their patches. "git": the working tree against HEAD. "branch": against
 * where the current branch left the default branch (nothing while on the default branch).
 */
export async function vcsDiff(instance: Instance, mode: "git" | "branch", context = 3): Promise<VcsFileDiff[]> {
  if (context < 0 || context > 10_000) throw new BadRequestError(`Invalid query field 'context': must be 0-10000, got ${context}`, "Query")
  if (instance.project.vcs !== "git") return []
  const root = instance.worktree
  if (mode === "git") {
    const files = await vcsStatus(instance)
    return withPatches(root, files, (await hasHead(root)) ? "HEAD" : EMPTY_TREE, context)
  }
  const base = await branchBase(root)
  if (!base) return []
  const [numstat, names] = await Promise.all([
    git(root, [...QUOTE, "diff", "--numstat", "--no-renames", "-z", base]),
    git(root, [...QUOTE, "diff", "--name-status", "--no-renames", "-z", base]),
  ])
  const kinds = pairs(names.stdout.split("\0"))
  const files: VcsFileStatus[] = numstat.stdout.split("\0").flatMap((record) => {
    const [added, removed, file] = record.split("\t")
    if (!file) return []
    const kind = kinds.get(file)
    const status = kind === "D" ? "deleted" : kind === "A" ? "added" : "modified"
    return [{ file, additions: added === "-" ? 0 : Number(added), deletions: removed === "-" ? 0 : Number(removed), status } as const]
  })
  return withPatches(root, files.sort((a, b) => a.file.localeCompare(b.file)), base, context)
}

/** One patch of every uncommitted change, untracked files included (what `vcs.apply` takes). */
export async function vcsDiffRaw(instance: Instance): Promise<string> {
  if (instance.project.vcs !== "git") return ""
  const root = instance.worktree
  const tracked = await git(root, [...QUOTE, "diff", "--no-color", "--binary", (await hasHead(root)) ? "HEAD" : EMPTY_TREE])
  const untracked = await untrackedFiles(root)
  const added = await Promise.all(untracked.map((f) => untrackedPatch(root, f, 3, ["--binary"])))
  return [tracked.stdout, ...added].filter(Boolean).join("")
}

export async function vcsApply(instance: Instance, patch: string): Promise<{ applied: boolean }> {
  if (instance.project.vcs !== "git") throw new VcsApplyError("Patch can't be applied because the project is not git-based", "non-git")
  const r = await git(instance.worktree, ["apply", "--whitespace=nowarn", "-"], { stdin: patch })
  if (r.code !== 0) throw new VcsApplyError(`Patch can't be applied: ${r.stderr.trim() || "git apply failed"}`, "not-clean")
  return { applied: true }
}

async function withPatches(root: string, files: VcsFileStatus[], base: string, context: number): Promise<VcsFileDiff[]> {
  if (files.length === 0) return []
  const diff = await git(root, [...QUOTE, "diff", "--no-color", "--no-renames", `-U${context}`, base])
  const patches = splitPatches(diff.stdout)
  const untracked = new Set(await untrackedFiles(root))
  let total = 0
  let untrackedDone = 0
  const out: VcsFileDiff[] = []
  for (const f of files) {
    let patch = patches.get(f.file)
    if (patch === undefined && untracked.has(f.file) && untrackedDone++ < MAX_UNTRACKED_PATCHES)
      patch = await untrackedPatch(root, f.file, context)
    const fits = patch !== undefined && patch.length <= MAX_FILE_PATCH && total + patch.length <= MAX_TOTAL_PATCH
    if (fits) total += patch!.length
    out.push({ ...f, ...(fits ? { patch } : {}) })
  }
  return out
}

/** `git diff` output split per file, keyed by the path after a/ or b/. */
function splitPatches(text: string): Map<string, string> {
  const out = new Map<string, string>()
  const starts = [...text.matchAll(/^diff --git /gm)].map((m) => m.index!)
  starts.forEach((start, i) => {
    const chunk = text.slice(start, starts[i + 1] ?? text.length)
    const file = /^\+\+\+ b\/(.+)$/m.exec(chunk)?.[1] ?? /^--- a\/(.+)$/m.exec(chunk)?.[1] ?? /^diff --git a\/(.+) b\/\1$/m.exec(chunk)?.[1]
    if (file) out.set(file, chunk)
  })
  return out
}

async function untrackedFiles(root: string): Promise<string[]> {
  const r = await git(root, [...QUOTE, "ls-files", "--others", "--exclude-standard", "-z"])
  return r.stdout.split("\0").filter(Boolean)
}

async function untrackedPatch(root: string, file: string, context: number, extra: string[] = []): Promise<string> {
  // --no-index exits 1 when the files differ, which a new file always does.
  const r = await git(root, [...QUOTE, "diff", "--no-color", "--no-index", `-U${context}`, ...extra, "--", "/dev/null", file])
  return r.stdout
}

async function hasHead(root: string) {
  return (await git(root, ["rev-parse", "--verify", "-q", "HEAD"])).code === 0
}

/** Merge base of HEAD with the default branch; undefined on the default branch or without one. */
async function branchBase(root: string): Promise<string | undefined> {
  const remote = await git(root, ["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"])
  let target = remote.code === 0 ? remote.stdout.trim() : undefined
  if (!target) {
    for (const name of ["main", "master"]) {
      if ((await git(root, ["rev-parse", "--verify", "-q", `refs/heads/${name}`])).code === 0) {
        target = name
        break
      }
    }
  }
  if (!target) return undefined
  const current = (await git(root, ["rev-parse", "--abbrev-ref", "HEAD"])).stdout.trim()
  if (current === target || `origin/${current}` === target) return undefined
  const base = await git(root, ["merge-base", "HEAD", target])
  return base.code === 0 ? base.stdout.trim() : undefined
}

function pairs(items: string[]): Map<string, string> {
  const m = new Map<string, string>()
  for (let i = 0; i + 1 < items.length; i += 2) m.set(items[i + 1], items[i])
  return m
}
