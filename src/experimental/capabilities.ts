import type { ExperimentalCapabilities } from "./schema"

/**
 * Optional features clients may offer. The `task` tool runs a subagent to completion inside
 * the parent's step, so a subagent can never be sent to the background here.
 */
export function capabilities(): ExperimentalCapabilities {
  return { backgroundSubagents: false }
}
