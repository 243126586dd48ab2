import type { MessageWithParts, UserMessage } from "./schema"

/**
 * The conversation up to and including `current`, as user messages each followed by the
 * replies to it, whatever order the ids have (a prompt queued while another ran is stored
 * before that one's replies). Shared by what the model sees and the compaction transcript.
 */
export function turns(history: MessageWithParts[], current: UserMessage): Array<{ user: MessageWithParts; replies: MessageWithParts[] }> {
  const replies = new Map<string, MessageWithParts[]>()
  for (const m of history) {
    if (m.info.role !== "assistant") continue
    const list = replies.get(m.info.parentID) ?? []
    list.push(m)
    replies.set(m.info.parentID, list)
  }
  const out: Array<{ user: MessageWithParts; replies: MessageWithParts[] }> = []
  for (const m of history) {
    if (m.info.role !== "user" || m.info.id > current.id) continue
    out.push({ user: m, replies: replies.get(m.info.id) ?? [] })
  }
  return out
}
