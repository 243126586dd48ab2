import path from "node:path"
import * as Store from "./store"
import type { Row } from "./store"
import { git, findGitRoot } from "./git"
import type { Project } from "./schema"

/** What users set on a project, kept in the row's `data` JSON. */
export type ProjectMeta = Pick<Project, "name" | "icon" | "commands" | "sandboxes"> & { updated?: number }

function meta(r: Row): ProjectMeta {
  try {
    return JSON.parse(r.data || "{}")
  } catch {
    return {}
  }
}

function toProject(r: Row, vcsDir?: string): Project {
  const m = meta(r)
  return {
    id: r.id,
    worktree: r.worktree,
    ...(r.vcs === "git" ? { vcs: "git" as const } : {}),
    ...(vcsDir ? { vcsDir } : {}),
    ...(m.name !== undefined ? { name: m.name } : {}),
    ...(m.icon ? { icon: m.icon } : {}),
    ...(m.commands ? { commands: m.commands } : {}),
    time: { created: r.time_created, updated: m.updated ?? r.time_created, ...(r.time_initialized ? { initialized: r.time_initialized } : {}) },
    sandboxes: m.sandboxes ?? [],
  }
}

/**
 * The project a directory belongs to. Inside a git repository its identity is the root
 * commit, so clones and worktrees of the same repository share sessions; elsewhere every
 * directory belongs to the "global" project, as in opencode.
 */
export async function fromDirectory(directory: string): Promise<Project> {
  const root = findGitRoot(directory)
  let id = "global"
  let worktree = "/"
  let vcs: "git" | undefined
  let vcsDir: string | undefined
  if (root) {
    const top = await git(directory, ["rev-parse", "--show-toplevel", "--git-common-dir"])
    if (top.code === 0) {
      const [toplevel, common] = top.stdout.trim().split("\n")
      worktree = path.resolve(toplevel)
      vcsDir = path.resolve(directory, common)
      // A sandbox worktree shares its main repository's identity.
      if (path.basename(vcsDir) === ".git") worktree = path.dirname(vcsDir)
      vcs = "git"
      const roots = await git(directory, ["rev-list", "--max-parents=0", "--all"])
      const first = roots.stdout.split("\n").filter(Boolean).sort()[0]
      // An empty repository has no commit yet: key it by path until it gets one.
      id = first ?? "git:" + worktree
    }
  }
  return upsert({ id, worktree, vcs }, vcsDir)
}

function upsert(p: { id: string; worktree: string; vcs?: "git" }, vcsDir?: string): Project {
  return toProject(Store.upsert(p), vcsDir)
}

export function list(): Project[] {
  return Store.all().map((r) => toProject(r))
}

export function markInitialized(id: string) {
  Store.markInitialized(id)
}

export function get(id: string): Project | undefined {
  const row = Store.get(id)
  return row ? toProject(row) : undefined
}

/** Merges `change` into the project's stored settings; undefined when there is no such project. */
export function writeMeta(id: string, change: (m: ProjectMeta) => ProjectMeta): Project | undefined {
  const row = Store.updateData(id, (r) => JSON.stringify({ ...change(meta(r)), updated: Date.now() }))
  return row ? toProject(row) : undefined
}
