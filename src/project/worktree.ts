import fs from "node:fs"
import path from "node:path"
import { Bus } from "../bus"
import { Paths } from "../global/paths"
import { runShell } from "../tool/shell"
import { NamedError } from "../util/error"
import { createLog } from "../util/log"
import { git } from "./git"
import { disposeInstance, type Instance } from "./instance"
import * as Projects from "./project"
import { refreshLive } from "./update"
import { WorktreeFailed, WorktreeReady } from "./events"

const log = createLog("worktree")

// Sandboxes: git worktrees of a project, made for the web and desktop apps' "workspaces".
// They live in the data directory, on branches `opencode/<name>`, and are listed on the
// project (`sandboxes`). Only directories listed there can be removed or reset.

export type Worktree = { name: string; branch: string; directory: string }

type Kind = "NotGit" | "NameGenerationFailed" | "CreateFailed" | "StartCommandFailed" | "RemoveFailed" | "ResetFailed" | "ListFailed"
export class WorktreeError extends NamedError {
  constructor(kind: Kind, message: string) {
    super(`Worktree${kind}Error`, { message }, 400)
  }
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i
const START_TIMEOUT_MS = 10 * 60_000

function gitProject(instance: Instance) {
  if (instance.project.vcs !== "git") throw new WorktreeError("NotGit", `${instance.directory} is not in a git repository: worktrees need one (POST /project/git/init makes it one)`)
  return instance.project
}

export function listWorktrees(instance: Instance): string[] {
  const p = Projects.get(gitProject(instance).id)
  return (p?.sandboxes ?? []).filter((d) => fs.existsSync(d))
}

export async function createWorktree(instance: Instance, input: { name?: string; startCommand?: string }): Promise<Worktree> {
  const project = gitProject(instance)
  const name = input.name?.trim() || (await freeName(project.id))
  if (!NAME.test(name)) throw new WorktreeError("CreateFailed", `Invalid worktree name '${name}': use letters, digits, '.', '_' and '-' (at most 64)`)
  const directory = path.join(Paths.data, "worktree", project.id.replace(/[^a-z0-9._-]/gi, "_"), name)
  if (fs.existsSync(directory)) throw new WorktreeError("CreateFailed", `A worktree named '${name}' already exists at ${directory}`)
  const branch = `opencode/${name}`
  fs.mkdirSync(path.dirname(directory), { recursive: true })
  const added = await git(project.worktree, ["worktree", "add", "--quiet", "-b", branch, directory, "HEAD"])
  if (added.code !== 0) throw new WorktreeError("CreateFailed", `git worktree add failed: ${added.stderr.trim() || `exit code ${added.code}`}`)
  const updated = Projects.writeMeta(project.id, (m) => ({ ...m, sandboxes: [...new Set([...(m.sandboxes ?? []), directory])] }))
  if (updated) await refreshLive(updated)
  const scripts = [updated?.commands?.start, input.startCommand].filter((s): s is string => !!s?.trim())
  // The answer comes at once; start scripts may take minutes and report through events.
  // Stopping the project's instance (shutdown, dispose) stops them too.
  const stop = new AbortController()
  instance.onDispose(() => stop.abort())
  void runStart(instance.directory, { name, branch, directory }, scripts, stop.signal)
  return { name, branch, directory }
}

async function runStart(eventDirectory: string, wt: Worktree, scripts: string[], signal: AbortSignal) {
  for (const script of scripts) {
    const run = await runShell(script, { cwd: wt.directory, timeoutMs: START_TIMEOUT_MS, signal })
    if (run.exit !== 0) {
      const why = run.stopped === "timeout" ? "timed out" : run.stopped === "abort" ? "stopped with the server" : `exit ${run.exit ?? run.signal}`
      const message = `Start command failed in ${wt.directory} (${why}): ${run.output.render().slice(-500)}`
      log.warn("worktree start command failed", { directory: wt.directory, exit: run.exit })
      return Bus.publish(eventDirectory, WorktreeFailed, { message })
    }
  }
  Bus.publish(eventDirectory, WorktreeReady, { name: wt.name, branch: wt.branch })
}

function sandbox(instance: Instance, directory: string, kind: Kind): string {
  const project = gitProject(instance)
  const wanted = path.resolve(directory)
  const found = Projects.get(project.id)?.sandboxes?.find((d) => path.resolve(d) === wanted)
  if (!found) throw new WorktreeError(kind, `${directory} is not a worktree created for this project (see GET /experimental/worktree)`)
  return found
}

export async function removeWorktree(instance: Instance, directory: string): Promise<true> {
  const dir = sandbox(instance, directory, "RemoveFailed")
  const project = instance.project
  const branch = (await git(dir, ["rev-parse", "--abbrev-ref", "HEAD"])).stdout.trim()
  await disposeInstance(dir)
  const removed = await git(project.worktree, ["worktree", "remove", "--force", dir])
  if (removed.code !== 0 && fs.existsSync(dir)) throw new WorktreeError("RemoveFailed", `git worktree remove failed: ${removed.stderr.trim()}`)
  await git(project.worktree, ["worktree", "prune"])
  if (branch.startsWith("opencode/")) await git(project.worktree, ["branch", "-D", branch])
  const updated = Projects.writeMeta(project.id, (m) => ({ ...m, sandboxes: (m.sandboxes ?? []).filter((d) => d !== dir) }))
  if (updated) await refreshLive(updated)
  return true
}

/** Back to the main checkout's default branch: tracked changes undone, untracked files removed. */
export async function resetWorktree(instance: Instance, directory: string): Promise<true> {
  const dir = sandbox(instance, directory, "ResetFailed")
  const base = await defaultBranch(instance.project.worktree)
  for (const args of [["reset", "--hard", "--quiet", base], ["clean", "-fdq"]]) {
    const r = await git(dir, args)
    if (r.code !== 0) throw new WorktreeError("ResetFailed", `git ${args[0]} failed in ${dir}: ${r.stderr.trim()}`)
  }
  return true
}

async function defaultBranch(main: string): Promise<string> {
  const remote = await git(main, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])
  if (remote.code === 0 && remote.stdout.trim()) return remote.stdout.trim()
  const head = await git(main, ["rev-parse", "--abbrev-ref", "HEAD"])
  if (head.code === 0 && head.stdout.trim() && head.stdout.trim() !== "HEAD") return head.stdout.trim()
  throw new WorktreeError("ResetFailed", `Cannot tell the default branch of ${main}`)
}

const WORDS = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "iris", "juniper", "kelp", "lumen", "maple", "nova", "onyx", "pebble"]

async function freeName(projectID: string): Promise<string> {
  const base = path.join(Paths.data, "worktree", projectID.replace(/[^a-z0-9._-]/gi, "_"))
  for (let i = 0; i < 20; i++) {
    const name = `${WORDS[Math.floor(Math.random() * WORDS.length)]}-${WORDS[Math.floor(Math.random() * WORDS.length)]}-${Math.floor(Math.random() * 1000)}`
    if (!fs.existsSync(path.join(base, name))) return name
  }
  throw new WorktreeError("NameGenerationFailed", "Could not find a free worktree name; pass one in `name`")
}
