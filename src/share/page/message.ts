import path from "node:path"
import type { MessageWithParts, Part } from "../../session/schema"
import { clip, clippedNote, esc, time } from "./html"
import { markdown } from "./markdown"
import { toolPart } from "./tool"

const MAX_TEXT = 100_000
const MAX_CONTEXT = 8_000

function text(source: string): string {
  const { text: shown, omitted } = clip(source, MAX_TEXT)
  return `<div class="md">${markdown(shown)}</div>${clippedNote(omitted)}`
}

function relative(directory: string, file: string) {
  const rel = path.relative(directory, file)
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file
}

function part(p: Part, directory: string): string {
  switch (p.type) {
    case "text": {
      if (p.ignored) return ""
      if (!p.synthetic) return `<div class="part text">${text(p.text)}</div>`
      const { text: shown, omitted } = clip(p.text, MAX_CONTEXT)
      return `<details class="part context"><summary>Added context</summary><pre>${esc(shown)}</pre>${clippedNote(omitted)}</details>`
    }
    case "reasoning":
      return p.text.trim() ? `<details class="part reasoning"><summary>Reasoning</summary>${text(p.text)}</details>` : ""
    case "tool":
      return toolPart(p)
    case "file":
      return `<div class="part file">Attached file: <code>${esc(p.filename ?? p.source?.path ?? "unnamed")}</code> <span class="muted">${esc(p.mime)}</span></div>`
    case "patch":
      return `<div class="part patch"><span class="label">Files changed</span> ${p.files.map((f) => `<code>${esc(relative(directory, f))}</code>`).join(" ")}</div>`
    case "agent":
      return `<div class="part agent">Agent <code>@${esc(p.name)}</code></div>`
    case "subtask":
      return `<div class="part subtask">Subtask for <code>@${esc(p.agent)}</code>: ${esc(p.description)}</div>`
    case "retry":
      return `<div class="part retry">Retry ${p.attempt}: ${esc(p.error.data.message)}</div>`
    case "compaction":
      return `<div class="part compaction">The conversation above was summarised${p.auto ? " automatically" : ""}.</div>`
    default:
      // step-start, step-finish, snapshot: bookkeeping, nothing to read.
      return ""
  }
}

function header(m: MessageWithParts): string {
  const info = m.info
  if (info.role === "user") return `<header><span class="role">User</span>${time(info.time.created)}</header>`
  const meta = [`${esc(info.providerID)}/${esc(info.modelID)}`, esc(info.mode)]
  if (info.cost >= 0.0001) meta.push(`$${info.cost.toFixed(4)}`)
  if (info.tokens.input || info.tokens.output) meta.push(`${info.tokens.input} in / ${info.tokens.output} out tokens`)
  return `<header><span class="role">Assistant</span><span class="muted">${meta.join(" · ")}</span>${time(info.time.created)}</header>`
}

export function message(m: MessageWithParts, directory: string): string {
  const info = m.info
  const error = info.role === "assistant" && info.error ? `<div class="part error-box">${esc(info.error.name)}: ${esc((info.error.data as { message?: string }).message ?? "")}</div>` : ""
  const body = m.parts.map((p) => part(p, directory)).join("")
  return `<article class="message ${info.role}" id="${esc(info.id)}">${header(m)}${body}${error}</article>`
}
