import { t } from "../util/schema"
import { Bus, defineEvent } from "../bus"
import { onConfigChange } from "../config/config"

/** The location's references changed: clients fetch GET /api/reference again. */
export const ReferenceUpdated = defineEvent("reference.updated", t.Object({}))

// Config changed: announce it when the references section differs from the last one seen
// (or when there is nothing to compare with yet; clients refetch cheaply).
onConfigChange((instance, config) => {
  const now = JSON.stringify(config.references ?? config.reference ?? null)
  const seen = instance.state<{ last?: string }>("v2.references", () => ({}))
  const changed = seen.last !== now
  seen.last = now
  if (changed) Bus.publish(instance.directory, ReferenceUpdated, {})
})
