// Ordered, append-only. Each domain adds its own entry; ids are applied once and never
// edited after release (add a new entry to change a table).
import { project } from "./0001-project"
import { session } from "./0002-session"
import { todo } from "./0003-todo"
import { permission } from "./0004-permission"
import { share } from "./0005-share"
import { sessionPermission } from "./0006-session-permission"
import { processLease } from "./0007-process-lease"

export type Migration = { id: string; sql: string }

export const migrations: Migration[] = [project, session, todo, permission, share, sessionPermission, processLease]
