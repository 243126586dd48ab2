import fs from "node:fs"
import { t, type Static } from "../util/schema"
import { sessionDirectories } from "./store"
import { NotFoundError } from "../util/error"
import { git } from "./git"
import { list } from "./project"

export const ProjectDirectory = t.Object(
  {
    directory: t.String(),
    strategy: t.Optional(t.String({ description: 'How the directory was made from the project: "git_worktree" for a linked git worktree; absent for a main checkout' })),
  },
  { $id: "ProjectDirectory" },
)
export type ProjectDirectory = Static<typeof ProjectDirectory>

/**
 * The local directories a project is known to live in. A git project: its main checkout,
 * then its linked worktrees (`git worktree list`). The shared "global" project (directories
 * outside git): every directory that has sessions, oldest first, then `current` if it has none yet.
 */
export async function projectDirectories(projectID: string, current: string): Promise<ProjectDirectory[]> {
  const project = list().find((p) => p.id === projectID)
  if (!project) throw new NotFoundError(`Project not found: ${projectID}`)
  if (project.vcs !== "git") {
    const dirs = sessionDirectories(projectID).filter((d) => fs.existsSync(d))
    return [...dirs, ...(dirs.includes(current) ? [] : [current])].map((directory) => ({ directory }))
  }
  const out = await git(project.worktree, ["worktree", "list", "--porcelain"])
  if (out.code !== 0) return fs.existsSync(project.worktree) ? [{ directory: project.worktree }] : []
  const trees = out.stdout
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .map((l) => l.slice("worktree ".length))
  // git lists the main worktree first; a bare main repository has no checkout to offer.
  return trees.flatMap((dir, i) => (fs.existsSync(dir) ? [i === 0 ? { directory: dir } : { directory: dir, strategy: "git_worktree" }] : []))
}
