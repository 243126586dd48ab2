import type { Project } from "./schema"
import { fromDirectory } from "./project"
import * as Vcs from "./vcs"
import { Bus } from "../bus"
import { InstanceDisposed, VcsBranchUpdated } from "./events"
import { createLog } from "../util/log"

const log = createLog("instance")

type StateEntry = { value: unknown; dispose?: (value: any) => unknown }

/**
 * Everything the server keeps for one project directory: its project identity and the
 * per-directory state of each domain (language servers, MCP clients, watchers...). Created
 * on the first request naming the directory, torn down by /instance/dispose or shutdown.
 */
export class Instance {
  private states = new Map<string, StateEntry>()
  private disposers: Array<() => unknown> = []

  constructor(
    readonly directory: string,
    readonly project: Project,
  ) {}

  get worktree() {
    return this.project.worktree === "/" ? this.directory : this.project.worktree
  }

  /** Lazily created per-instance state for one domain, disposed with the instance. */
  state<T>(key: string, init: () => T, dispose?: (value: T) => unknown): T {
    const hit = this.states.get(key)
    if (hit) return hit.value as T
    const value = init()
    this.states.set(key, { value, dispose })
    return value
  }

  peek<T>(key: string): T | undefined {
    return this.states.get(key)?.value as T | undefined
  }

  onDispose(fn: () => unknown) {
    this.disposers.push(fn)
  }

  async dispose() {
    const entries = [...this.states.entries()].reverse()
    this.states.clear()
    const jobs = entries.map(async ([key, e]) => {
      try {
        await e.dispose?.(e.value)
      } catch (err) {
        log.warn("state dispose failed", { key, error: err })
      }
    })
    for (const fn of this.disposers.splice(0).reverse()) jobs.push(Promise.resolve().then(fn).then(() => {}, () => {}))
    await Promise.all(jobs)
  }
}

const instances = new Map<string, Promise<Instance>>()
const createdHooks: Array<(inst: Instance) => void> = []

/** Domains that run for an instance's whole life (the file watcher) start from here. */
export function onInstanceCreated(fn: (inst: Instance) => void) {
  createdHooks.push(fn)
}

export function getInstance(directory: string): Promise<Instance> {
  let p = instances.get(directory)
  if (!p) {
    p = create(directory)
    instances.set(directory, p)
    p.catch(() => instances.delete(directory))
  }
  return p
}

async function create(directory: string) {
  const project = await fromDirectory(directory)
  const inst = new Instance(directory, project)
  if (project.vcs === "git" && project.vcsDir) {
    const initial = await Vcs.branch(inst.worktree)
    inst.state("vcs.branch", () => ({ branch: initial }))
    const stop = Vcs.watchBranch(project.vcsDir, inst.worktree, initial, (b) => {
      inst.state("vcs.branch", () => ({ branch: b })).branch = b
      Bus.publish(directory, VcsBranchUpdated, { branch: b })
    })
    inst.onDispose(stop)
  }
  for (const hook of createdHooks) {
    try {
      hook(inst)
    } catch (err) {
      log.warn("instance hook failed", { directory, error: err })
    }
  }
  return inst
}

/**
 * The current branch. The instance follows HEAD with a watcher, so this is a memory read;
 * git is asked only when there is no watched value (not a repository, or not yet known).
 */
export async function currentBranch(inst: Instance): Promise<string | undefined> {
  const watched = inst.peek<{ branch?: string }>("vcs.branch")
  if (watched?.branch !== undefined) return watched.branch
  return inst.project.vcs === "git" ? Vcs.branch(inst.worktree) : undefined
}

export async function disposeInstance(directory: string) {
  const p = instances.get(directory)
  if (!p) return false
  instances.delete(directory)
  const inst = await p.catch(() => undefined)
  await inst?.dispose()
  Bus.publish(directory, InstanceDisposed, { directory })
  return true
}

export async function disposeAll() {
  const dirs = [...instances.keys()]
  await Promise.all(
    dirs.map(async (d) => {
      const p = instances.get(d)
      instances.delete(d)
      const inst = await p?.catch(() => undefined)
      await inst?.dispose()
    }),
  )
}

export function activeInstances(): Promise<Instance>[] {
  return [...instances.values()]
}
