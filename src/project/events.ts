import { t } from "elysia"
import { defineEvent } from "../bus/event"

export const VcsBranchUpdated = defineEvent("vcs.branch.updated", t.Object({ branch: t.Optional(t.String()) }))
export const InstanceDisposed = defineEvent("server.instance.disposed", t.Object({ directory: t.String() }))
