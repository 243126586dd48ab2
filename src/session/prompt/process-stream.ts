import type { LanguageModel, LanguageModelUsage, ModelMessage, ToolSet } from "ai"
import { ascending } from "../../util/id"
import { errorMessage } from "../../util/error"
import type { AssistantMessage, Part, ReasoningPart, TextPart, ToolPart } from "../schema"
import type { PartSink } from "./part-sink"
import type { ChatCall } from "../../plugin/chat"

export type StreamInput = {
  assistant: AssistantMessage
  sink: PartSink
  signal: AbortSignal
  language: LanguageModel
  system: string
  messages: ModelMessage[]
  tools: ToolSet
  toolChoice?: "auto" | "none"
  /** Called when a text part is complete, before it is stored as such; may change its text. */
  onTextEnd?: (part: TextPart) => Promise<void>
  /** Called once, just before this attempt stores its first part. */
  onOutput?: () => void
} & ChatCall

export type StreamOutcome = {
  finishReason: string
  usage?: LanguageModelUsage
  /** Every part this attempt created (a retried attempt removes them). */
  parts: Part[]
  /** Tool calls to run, in the order the model made them. */
  calls: ToolPart[]
  error?: unknown
}

/**
 * One model call: turns the provider's stream into stored, announced parts. Never throws:
 * a provider failure comes back as `error` for the caller to retry or record.
 */
export async function processStream(input: StreamInput): Promise<StreamOutcome> {
  const { assistant, sink } = input
  const out: StreamOutcome = { finishReason: "unknown", parts: [], calls: [] }
  const texts = new Map<string, TextPart | ReasoningPart>()
  const tools = new Map<string, ToolPart>()
  const base = () => ({ id: ascending("part"), sessionID: assistant.sessionID, messageID: assistant.id })

  const added = (part: Part) => {
    if (out.parts.length === 0) input.onOutput?.()
    out.parts.push(part)
  }
  const open = <P extends TextPart | ReasoningPart>(key: string, part: P) => {
    texts.set(key, part)
    added(part)
    sink.put(part)
    return part
  }
  const toolPart = (callID: string, name: string) => {
    let part = tools.get(callID)
    if (!part) {
      part = { ...base(), type: "tool", callID, tool: name, state: { status: "pending", input: {}, raw: "" } }
      tools.set(callID, part)
      added(part)
    }
    return part
  }

  // The AI SDK (several MB once evaluated) loads with the first model call, not at start-up.
  const { streamText } = await import("ai")
  const result = streamText({
    model: input.language,
    instructions: input.system,
    messages: input.messages,
    tools: input.tools,
    toolChoice: input.toolChoice,
    temperature: input.temperature,
    topP: input.topP,
    topK: input.topK,
    maxOutputTokens: input.maxOutputTokens,
    providerOptions: input.providerOptions,
    headers: input.headers,
    abortSignal: input.signal,
    // Retries are ours (with a retry part the client can show); errors come back below.
    maxRetries: 0,
    onError: () => {},
  })

  try {
    for await (const ev of result.fullStream) {
      switch (ev.type) {
        case "text-start":
          open("t" + ev.id, { ...base(), type: "text", text: "", time: { start: Date.now() } })
          break
        case "reasoning-start":
          open("r" + ev.id, { ...base(), type: "reasoning", text: "", time: { start: Date.now() } })
          break
        case "text-delta":
        case "reasoning-delta": {
          const key = (ev.type === "text-delta" ? "t" : "r") + ev.id
          const part =
            texts.get(key) ??
            open(key, ev.type === "text-delta"
              ? { ...base(), type: "text", text: "", time: { start: Date.now() } }
              : { ...base(), type: "reasoning", text: "", time: { start: Date.now() } })
          part.text += ev.text
          sink.delta(part, ev.text)
          break
        }
        case "text-end":
        case "reasoning-end": {
          const part = texts.get((ev.type === "text-end" ? "t" : "r") + ev.id)
          if (!part) break
          part.time = { start: part.time?.start ?? Date.now(), end: Date.now() }
          if (ev.providerMetadata && Object.keys(ev.providerMetadata).length) part.metadata = ev.providerMetadata
          if (part.type === "text") await input.onTextEnd?.(part)
          sink.put(part)
          break
        }
        case "tool-input-start":
          sink.put(toolPart(ev.id, ev.toolName))
          break
        case "tool-input-delta": {
          const part = tools.get(ev.id)
          if (part?.state.status === "pending") part.state.raw += ev.delta
          break
        }
        case "tool-call": {
          const part = toolPart(ev.toolCallId, ev.toolName)
          const inputValue = isRecord(ev.input) ? ev.input : {}
          if (ev.providerMetadata && Object.keys(ev.providerMetadata).length) part.metadata = ev.providerMetadata
          if ("invalid" in ev && ev.invalid) {
            const now = Date.now()
            part.state = { status: "error", input: inputValue, error: errorMessage(ev.error), time: { start: now, end: now } }
          } else {
            part.state = { status: "pending", input: inputValue, raw: JSON.stringify(ev.input ?? {}) }
          }
          out.calls.push(part)
          sink.put(part)
          break
        }
        case "finish-step":
          out.finishReason = ev.finishReason
          out.usage = ev.usage
          break
        case "error":
          throw ev.error
      }
    }
  } catch (e) {
    out.error = e
  }
  closeOpen(texts.values(), sink)
  sink.flush()
  return out
}

/** Text still streaming when the stream stopped (abort, drop) keeps what arrived, with an end. */
function closeOpen(parts: Iterable<TextPart | ReasoningPart>, sink: PartSink) {
  for (const p of parts) {
    if (p.time?.end) continue
    p.time = { start: p.time?.start ?? Date.now(), end: Date.now() }
    sink.put(p)
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}
