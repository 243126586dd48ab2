import { Bus } from "../bus"
import { BadRequestError } from "../util/error"
import { git } from "./git"
import { activeInstances, disposeAll, disposeInstance, getInstance, type Instance } from "./instance"
import * as Projects from "./project"
import { GlobalDisposed, InstanceDisposed, ProjectUpdated } from "./events"
import type { Project } from "./schema"

export type ProjectPatch = Pick<Project, "name" | "icon" | "commands">

/** PATCH /project/:id: name, icon and start command; undefined for an unknown project. */
export async function updateProject(directory: string, id: string, patch: ProjectPatch): Promise<Project | undefined> {
  const updated = Projects.writeMeta(id, (m) => ({
    ...m,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.icon !== undefined ? { icon: { ...m.icon, ...patch.icon } } : {}),
    ...(patch.commands !== undefined ? { commands: { ...m.commands, ...patch.commands } } : {}),
  }))
  if (!updated) return undefined
  await refreshLive(updated)
  Bus.publish(directory, ProjectUpdated, updated)
  return updated
}

/** Live instances keep the project they were opened with: bring theirs up to date. */
export async function refreshLive(p: Project) {
  for (const pending of activeInstances()) {
    const inst = await pending.catch(() => undefined)
    if (inst?.project.id !== p.id) continue
    const { vcsDir: _, ...fields } = p
    Object.assign(inst.project, fields)
  }
}

/**
 * POST /project/git/init: makes the directory a git repository. Its project changes (from the
 * shared "global" one to its own), so the directory's instance is started again.
 */
export async function initGit(instance: Instance): Promise<Project> {
  if (instance.project.vcs === "git") return instance.project
  const r = await git(instance.directory, ["init", "--quiet"])
  if (r.code !== 0) throw new BadRequestError(`git init failed in ${instance.directory}: ${r.stderr.trim() || `exit code ${r.code}`}`)
  await disposeInstance(instance.directory)
  const fresh = await getInstance(instance.directory)
  Bus.publish(instance.directory, ProjectUpdated, fresh.project)
  return fresh.project
}

/** POST /global/dispose: stops every instance; each starts again on its next request. */
export async function disposeGlobal(): Promise<true> {
  const dirs = (await Promise.all(activeInstances().map((p) => p.catch(() => undefined)))).flatMap((i) => (i ? [i.directory] : []))
  await disposeAll()
  for (const directory of dirs) Bus.publish(directory, InstanceDisposed, { directory })
  Bus.publish("global", GlobalDisposed, {})
  return true
}
