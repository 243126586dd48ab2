import { t } from "../util/schema"
import { defineEvent } from "../bus/event"
import { Project } from "./schema"

export const VcsBranchUpdated = defineEvent("vcs.branch.updated", t.Object({ branch: t.Optional(t.String()) }))
export const InstanceDisposed = defineEvent("server.instance.disposed", t.Object({ directory: t.String() }))
export const ProjectUpdated = defineEvent("project.updated", Project)
export const GlobalDisposed = defineEvent("global.disposed", t.Object({}))
export const WorktreeReady = defineEvent("worktree.ready", t.Object({ name: t.String(), branch: t.Optional(t.String()) }))
export const WorktreeFailed = defineEvent("worktree.failed", t.Object({ message: t.String() }))
