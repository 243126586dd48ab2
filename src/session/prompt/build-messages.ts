import type { ModelMessage, AssistantModelMessage, ToolModelMessage, ToolResultPart, UserModelMessage } from "ai"
import type { Model } from "../../provider"
import type { FilePart, MessageWithParts, ToolPart, UserMessage } from "../schema"
import { decodeDataUrl } from "./attachment"
import { turns } from "../turns"

type UserContent = Exclude<UserModelMessage["content"], string>
type AssistantContent = Exclude<AssistantModelMessage["content"], string>
type ToolContent = ToolModelMessage["content"]

/** The conversation as the model sees it, up to and including the user message being answered. */
export function buildMessages(history: MessageWithParts[], current: UserMessage, model: Model): ModelMessage[] {
  const out: ModelMessage[] = []
  for (const { user, replies } of turns(history, current)) {
    const content = userContent(user, model)
    if (content.length) out.push({ role: "user", content })
    for (const reply of replies) out.push(...assistantMessages(reply, model))
  }
  return out
}

function userContent(m: MessageWithParts, model: Model): UserContent {
  const content: UserContent = []
  for (const p of m.parts) {
    if (p.type === "text" && !p.ignored && p.text) content.push({ type: "text", text: p.text })
    else if (p.type === "file") content.push(...fileContent(p, model))
    else if (p.type === "subtask") content.push({ type: "text", text: `(Delegated to the ${p.agent} agent: ${p.description})` })
  }
  return content
}

/** Local text files arrive as a synthetic text part beside the file part, so only bytes go here. */
function fileContent(p: FilePart, model: Model): UserContent {
  if (p.url.startsWith("file:")) return []
  const name = p.filename ?? "attachment"
  if (p.mime.startsWith("image/")) {
    if (!model.capabilities.input.image && !model.capabilities.attachment)
      return [{ type: "text", text: `[The user attached the image ${name}; this model cannot see images.]` }]
    const data = decodeDataUrl(p.url)
    return [{ type: "file", data: data ? data.bytes : new URL(p.url), mediaType: p.mime, filename: name }]
  }
  const data = decodeDataUrl(p.url)
  if (data && (p.mime.startsWith("text/") || p.mime === "application/json"))
    return [{ type: "text", text: `Attached file ${name}:\n<file>\n${data.bytes.toString("utf8")}\n</file>` }]
  if (p.mime === "application/pdf" && !model.capabilities.input.pdf && !model.capabilities.attachment)
    return [{ type: "text", text: `[The user attached the PDF ${name}; this model cannot read PDFs.]` }]
  return [{ type: "file", data: data ? data.bytes : new URL(p.url), mediaType: p.mime, filename: name }]
}

function assistantMessages(m: MessageWithParts, model: Model): ModelMessage[] {
  const content: AssistantContent = []
  const results: ToolContent = []
  for (const p of m.parts) {
    if (p.type === "text" && p.text && !p.synthetic) content.push({ type: "text", text: p.text, ...meta(p.metadata) })
    else if (p.type === "reasoning" && p.text) content.push({ type: "reasoning", text: p.text, ...meta(p.metadata) })
    else if (p.type === "tool") {
      content.push({ type: "tool-call", toolCallId: p.callID, toolName: p.tool, input: p.state.input ?? {}, ...meta(p.metadata) })
      results.push({ type: "tool-result", toolCallId: p.callID, toolName: p.tool, output: toolOutput(p, model) })
    }
  }
  if (content.length === 0) return []
  const out: ModelMessage[] = [{ role: "assistant", content }]
  if (results.length) out.push({ role: "tool", content: results })
  return out
}

function toolOutput(p: ToolPart, model: Model): ToolResultPart["output"] {
  const s = p.state
  if (s.status === "error") return { type: "error-text", value: s.error }
  if (s.status !== "completed") return { type: "error-text", value: "The tool did not finish: the reply was interrupted." }
  const images = (s.attachments ?? []).filter((a) => a.mime.startsWith("image/"))
  if (images.length === 0 || !(model.capabilities.input.image || model.capabilities.attachment)) return { type: "text", value: s.output }
  return {
    type: "content",
    value: [
      { type: "text", text: s.output },
      ...images.flatMap((a) => {
        const data = decodeDataUrl(a.url)
        return data ? [{ type: "file" as const, data: { type: "data" as const, data: data.bytes }, mediaType: a.mime, filename: a.filename }] : []
      }),
    ],
  }
}

/** Provider metadata stored on a part (e.g. a reasoning signature) goes back to its provider. */
function meta(metadata: Record<string, unknown> | undefined) {
  return metadata && Object.keys(metadata).length ? { providerOptions: metadata as Record<string, Record<string, any>> } : {}
}
