import type { MessageWithParts, Part, UserMessage } from "./schema"
import { turns } from "./turns"

/** Longest tool output or attached text kept whole in a transcript; longer ones keep both ends. */
const OUTPUT_MAX = 2_000
const TAIL = 500

/**
 * The conversation as one plain-text transcript, for the summary request: one message
 * instead of the whole history replayed as chat turns. A model asked to summarize a replay
 * may answer the last tool result instead, and every call's JSON framing and full output
 * costs tokens the summary does not need. Reasoning is left out; long tool outputs and
 * attached texts keep their start and end.
 */
export function transcript(history: MessageWithParts[], current: UserMessage): string {
  const blocks: string[] = []
  for (const { user: m, replies } of turns(history, current)) {
    const user = m.parts.map(userLine).filter(Boolean).join("\n")
    if (user) blocks.push(`## User\n${user}`)
    for (const reply of replies) {
      const lines = reply.parts.map(assistantLine).filter(Boolean).join("\n")
      if (lines) blocks.push(`## Assistant${reply.info.role === "assistant" && reply.info.summary ? " (summary of the earlier conversation)" : ""}\n${lines}`)
    }
  }
  return blocks.join("\n\n")
}

function userLine(p: Part): string {
  if (p.type === "text" && !p.ignored && p.text) return p.synthetic ? clip(p.text) : p.text
  if (p.type === "file") return `[attached ${p.filename ?? p.url.slice(0, 80)} (${p.mime})]`
  if (p.type === "subtask") return `[delegated to the ${p.agent} agent: ${p.description}]`
  if (p.type === "agent") return `[@${p.name}]`
  return ""
}

function assistantLine(p: Part): string {
  if (p.type === "text" && p.text && !p.synthetic) return p.text
  if (p.type !== "tool") return ""
  const s = p.state
  const call = `[tool ${p.tool} ${compactJson(s.input)}]`
  if (s.status === "completed") return `${call}\n${clip(s.output)}`
  if (s.status === "error") return `${call}\nerror: ${clip(s.error)}`
  return `${call}\n(did not finish)`
}

function compactJson(v: unknown) {
  try {
    return clip(JSON.stringify(v ?? {}))
  } catch {
    return "{}"
  }
}

function clip(s: string): string {
  if (s.length <= OUTPUT_MAX) return s
  const head = s.slice(0, OUTPUT_MAX - TAIL)
  return `${head}\n[... ${s.length - OUTPUT_MAX} characters left out ...]\n${s.slice(-TAIL)}`
}
