import type { MessageWithParts, ToolPart } from "./schema"
import { isSummary } from "./compaction-view"
import * as Message from "./message"

// Tool outputs are most of a long session's tokens and soon stale. Beyond the newest
// PROTECT_TOKENS of them (and never in the last two turns), completed outputs are marked
// `time.compacted`; the model then sees a placeholder instead. Only worth a write when it
// frees at least MINIMUM_TOKENS. Tokens are estimated at four characters each.
export const PROTECT_TOKENS = 40_000
export const MINIMUM_TOKENS = 20_000
const RECENT_TURNS = 2

/** Marks old tool outputs compacted (stored and announced); returns how many it marked. */
export function prune(directory: string, history: MessageWithParts[]): number {
  let turns = 0
  let seen = 0
  let freed = 0
  const victims: ToolPart[] = []
  scan: for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]
    if (m.info.role === "user") {
      turns++
      continue
    }
    if (isSummary(m.info)) break
    if (turns < RECENT_TURNS) continue
    for (let j = m.parts.length - 1; j >= 0; j--) {
      const p = m.parts[j]
      if (p.type !== "tool" || p.state.status !== "completed") continue
      // Everything older was pruned by an earlier pass.
      if (p.state.time.compacted) break scan
      const tokens = Math.ceil(p.state.output.length / 4)
      seen += tokens
      if (seen <= PROTECT_TOKENS) continue
      freed += tokens
      victims.push(p)
    }
  }
  if (freed < MINIMUM_TOKENS) return 0
  const now = Date.now()
  for (const p of victims) {
    if (p.state.status !== "completed") continue
    p.state.time.compacted = now
    Message.updatePart(directory, p)
  }
  return victims.length
}
