// Ordered, append-only. Each domain adds its own entry; ids are applied once and never
// edited after release (add a new entry to change a table).
import { project } from "./0001-project"

export type Migration = { id: string; sql: string }

export const migrations: Migration[] = [project]
