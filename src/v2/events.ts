import { t } from "elysia"
import { Bus, defineEvent } from "../bus"
import { onConfigChange } from "../config/config"

/** The location's references changed: clients fetch GET /api/reference again. */
export const ReferenceUpdated = defineEvent("reference.updated", t.Object({}))

onConfigChange((instance, config) => {
  const now = JSON.stringify(config.references ?? config.reference ?? null)
  const seen = instance.state<{ last?: string }>("v2.references", () => ({}))
  const changed = seen.last !== undefined && seen.last !== now
  seen.last = now
  // The first change seen has nothing to compare with: tell clients, they refetch cheaply.
  if (changed || seen.last === now) Bus.publish(instance.directory, ReferenceUpdated, {})
})
