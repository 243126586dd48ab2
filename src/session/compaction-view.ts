import type { AssistantMessage, MessageWithParts, Part, UserMessage } from "./schema"
import question from "./text/compaction-question.txt" with { type: "text" }
import carryOn from "./text/compaction-continue.txt" with { type: "text" }
import pruned from "./text/pruned-output.txt" with { type: "text" }

export type View = { history: MessageWithParts[]; current: UserMessage }

/**
 * The history the model sees when answering `current`. After a compaction, that is the
 * summary and what came after it; every earlier turn is left out. Tool outputs pruned to
 * save tokens show a short placeholder. Nothing here is stored: the stored history keeps
 * every message as it was.
 *
 * A compaction is a user message M with a `compaction` part answered by a completed,
 * error-free `summary` message S. M is shown as the question S answers. When M is an
 * ordinary prompt compacted automatically, its own content (before its first reply) or a
 * note to carry on (mid-turn) follows the summary as a second user message, and M's replies
 * after S hang under it. That second message gets an id right after M's, so the order by id
 * that the message builder relies on still holds, whatever was queued after M.
 */
export function modelView(history: MessageWithParts[], current: UserMessage): View {
  const boundary = lastCompaction(history, current)
  if (!boundary) return { history: history.map(withPrunedOutputs), current }
  const { M, S } = boundary
  const out: MessageWithParts[] = [{ info: M.info, parts: [synthetic(M, question)] }, withPrunedOutputs(S)]
  const content = M.parts.filter((p) => p.type !== "compaction")
  const answeredBefore = history.some((m) => isReplyTo(m, M) && m.info.id < S.info.id && m !== S)
  let next: UserMessage | undefined
  if (answeredBefore || content.length) {
    next = { ...(M.info as UserMessage), id: M.info.id + "~" }
    out.push({ info: next, parts: answeredBefore ? [synthetic({ info: next }, carryOn)] : content })
  }
  const kept = new Set<string>([M.info.id])
  for (const m of history) {
    if (m.info.role === "user" && m.info.id > M.info.id) {
      kept.add(m.info.id)
      out.push(withPrunedOutputs(m))
    }
  }
  for (const m of history) {
    if (m.info.role !== "assistant" || m === S) continue
    if (m.info.parentID === M.info.id) {
      if (next && m.info.id > S.info.id) out.push(withPrunedOutputs({ info: { ...m.info, parentID: next.id }, parts: m.parts }))
    } else if (kept.has(m.info.parentID)) out.push(withPrunedOutputs(m))
  }
  out.sort((a, b) => (a.info.id < b.info.id ? -1 : a.info.id > b.info.id ? 1 : 0))
  return { history: out, current: current.id === M.info.id && next ? next : current }
}

/** The latest summary made for a message no later than `current`, with its compaction request. */
function lastCompaction(history: MessageWithParts[], current: UserMessage) {
  const users = new Map(history.filter((m) => m.info.role === "user").map((m) => [m.info.id, m]))
  for (let i = history.length - 1; i >= 0; i--) {
    const S = history[i]
    if (!isSummary(S.info)) continue
    const M = users.get(S.info.parentID)
    if (M && M.info.id <= current.id && M.parts.some((p) => p.type === "compaction")) return { M, S }
  }
  return undefined
}

export function isSummary(info: MessageWithParts["info"]): info is AssistantMessage {
  return info.role === "assistant" && info.summary === true && !info.error && !!info.time.completed
}

function isReplyTo(m: MessageWithParts, user: MessageWithParts) {
  return m.info.role === "assistant" && m.info.parentID === user.info.id
}

function synthetic(m: { info: { id: string; sessionID: string } }, text: string): Part {
  return { id: `${m.info.id}-view`, sessionID: m.info.sessionID, messageID: m.info.id, type: "text", text: text.trim(), synthetic: true }
}

function withPrunedOutputs(m: MessageWithParts): MessageWithParts {
  if (!m.parts.some((p) => p.type === "tool" && p.state.status === "completed" && p.state.time.compacted)) return m
  const parts = m.parts.map((p) => {
    if (p.type !== "tool" || p.state.status !== "completed" || !p.state.time.compacted) return p
    const { attachments: _, ...state } = p.state
    return { ...p, state: { ...state, output: pruned.trim() } }
  })
  return { info: m.info, parts }
}
