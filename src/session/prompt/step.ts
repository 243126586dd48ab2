import type { LanguageModelUsage, ModelMessage } from "ai"
import type { Instance } from "../../project/instance"
import type { Agent } from "../../agent/agent"
import { computeCost, type Model } from "../../provider"
import { track, patch } from "../../snapshot/snapshot"
import { ascending } from "../../util/id"
import type { APIError, AssistantMessage, Part, Session, StepFinishPart, StepStartPart, TextPart, Tokens, ToolPart, UserMessage } from "../schema"
import * as Status from "../status"
import type { PartSink } from "./part-sink"
import { processStream, type StreamInput } from "./process-stream"
import type { SubagentRunner } from "../subagent"
import { executeTool } from "./execute-tool"
import type { StepTools } from "./tools"
import { retryDelay, sleep } from "./retry"
import { abortText, toMessageError } from "./errors"
import { chatCall } from "../../plugin/chat"
import { trigger } from "../../plugin"
import { recordProviderCall } from "../../metrics/recorder"

export type StepContext = {
  instance: Instance
  session: Session
  assistant: AssistantMessage
  agent: Agent
  model: { info: Model; language: StreamInput["language"] }
  sink: PartSink
  signal: AbortSignal
  system: string
  messages: ModelMessage[]
  /** The user message being answered (plugins' chat hooks see it). */
  user: UserMessage
  tools: StepTools
  /** The last allowed step: the model must answer without tools. */
  final: boolean
  /** The worktree snapshot left by the previous step, when known (saves taking a new one). */
  snapshot?: string
  /** For the task tool; a step without tools (a compaction summary) has none. */
  subagent?: SubagentRunner
}

/**
 * `finishPart` is left for the caller to store together with the closed message; `snapshot`
 * is the worktree as the step left it, for the next step to start from.
 */
export type StepResult = {
  finishReason: string
  error?: unknown
  tokens: Tokens
  cost: number
  finishPart: StepFinishPart
  snapshot?: string
  /** The user rejected one of the step's tool calls. */
  rejected?: boolean
}

/**
 * One step of the loop: a model call (retried with backoff on rate limits, server errors and
 * dropped streams, each retry recorded as a `retry` part), then the tool calls it made, then
 * a `step-start`/`step-finish` pair around it all with usage and cost, and a `patch` part
 * when the tools changed files.
 */
export async function runStep(ctx: StepContext): Promise<StepResult> {
  const { assistant, sink, signal } = ctx
  const base = () => ({ id: ascending("part"), sessionID: assistant.sessionID, messageID: assistant.id })
  // step-start carries the worktree's snapshot before the step, step-finish the one after.
  const before = ctx.snapshot ?? (await track(ctx.instance))
  const start: StepStartPart = { ...base(), type: "step-start", ...(before ? { snapshot: before } : {}) }
  sink.put(start)

  const call = await chatCall(
    ctx.instance,
    { sessionID: ctx.session.id, agent: ctx.agent.name, model: ctx.model.info, message: ctx.user },
    { temperature: ctx.model.info.capabilities.temperature ? ctx.agent.temperature : undefined, topP: ctx.agent.topP, maxOutputTokens: outputLimit(ctx.model.info) },
  )
  const textDone = async (part: TextPart) => {
    const hookInput = { sessionID: part.sessionID, messageID: part.messageID, partID: part.id }
    part.text = (await trigger(ctx.instance, "experimental.text.complete", hookInput, { text: part.text })).text
  }
  let outcome
  // A failed attempt's output stays in front of the user until a retry starts sending its own
  // (which replaces it); when no retry gets that far, it stays for good with the error.
  let shown: Part[] = []
  const withdraw = () => {
    for (const p of shown) sink.remove(p)
    shown = []
  }
  for (let attempt = 1; ; attempt++) {
    outcome = await processStream({
      onOutput: withdraw,
      assistant,
      sink,
      signal,
      language: ctx.model.language,
      system: ctx.system,
      messages: ctx.messages,
      tools: ctx.tools.set,
      toolChoice: ctx.final ? "none" : undefined,
      ...call,
      onTextEnd: textDone,
    })
    recordProviderCall(ctx.model.info.providerID, ctx.model.info.id, !!outcome.error && !signal.aborted, outcome.usage && toTokens(outcome.usage))
    if (!outcome.error || signal.aborted) break
    const delay = retryDelay(outcome.error, attempt)
    if (delay === undefined) break
    if (outcome.parts.length) shown = outcome.parts
    const error = toMessageError(outcome.error, assistant.providerID, false) as APIError
    sink.put({ ...base(), type: "retry", attempt, error, time: { created: Date.now() } })
    Status.set(ctx.session, { type: "retry", attempt, message: error.data.message, next: Date.now() + delay })
    const waited = await sleep(delay, signal)
    Status.set(ctx.session, { type: "busy" })
    if (!waited) break
  }

  // A retry that answered is the answer, even an empty one.
  if (!outcome.error && !signal.aborted) withdraw()
  const calls = outcome.calls
  let after = before
  let rejected = false
  if (calls.length && !outcome.error && !signal.aborted && !ctx.final) {
    const run = { instance: ctx.instance, agent: ctx.agent, sink, signal, defs: ctx.tools.defs, subagent: ctx.subagent ?? noSubagents }
    const runs = await Promise.all(calls.map((part) => executeTool(run, part)))
    rejected = runs.includes("rejected")
    // Only tools change files during a step, so only a step that ran some needs a new snapshot.
    if (before) {
      const changed = await patch(ctx.instance, before)
      after = changed.after
      if (changed.files.length) sink.put({ ...base(), type: "patch", hash: changed.hash, files: changed.files })
    }
  }
  settleUnrun(
    // Every tool part streamed, not only complete calls: a stream cut inside a call's input leaves one too.
    [...shown, ...outcome.parts].filter((p): p is ToolPart => p.type === "tool"),
    sink,
    signal.aborted ? abortText(signal, "Aborted: the user stopped this reply.") : ctx.final ? "Not run: the step limit was reached." : "Not run: the model call failed.",
  )

  const tokens = toTokens(outcome.usage)
  const cost = computeCost(ctx.model.info, {
    input: tokens.input,
    output: tokens.output,
    reasoning: tokens.reasoning,
    cacheRead: tokens.cache.read,
    cacheWrite: tokens.cache.write,
  })
  const reason = signal.aborted ? "aborted" : outcome.error ? "error" : outcome.finishReason
  const finishPart: StepFinishPart = { ...base(), type: "step-finish", reason, ...(after ? { snapshot: after } : {}), cost, tokens }
  return { finishReason: outcome.finishReason, error: outcome.error, tokens, cost, finishPart, snapshot: after, rejected }
}

const noSubagents: SubagentRunner = () => Promise.reject(new Error("Subagents cannot run from this step: it was started without a subagent runner."))

function settleUnrun(calls: ToolPart[], sink: PartSink, error: string) {
  for (const part of calls) {
    if (part.state.status !== "pending" && part.state.status !== "running") continue
    const now = Date.now()
    const startedAt = part.state.status === "running" ? part.state.time.start : now
    const input = part.state.status === "pending" && !Object.keys(part.state.input).length ? streamedInput(part.state.raw) : part.state.input
    part.state = { status: "error", input, error, time: { start: startedAt, end: now } }
    sink.put(part)
  }
}

/** The arguments of a call cut off before the model finished it, when what arrived is whole JSON. */
function streamedInput(raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(raw)
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : {}
  } catch {
    return {}
  }
}

const OUTPUT_MAX = 32_000

function outputLimit(info: Model) {
  return info.limit.output > 0 ? Math.min(info.limit.output, OUTPUT_MAX) : undefined
}

export function toTokens(u: LanguageModelUsage | undefined): Tokens {
  const read = u?.inputTokenDetails?.cacheReadTokens ?? 0
  const write = u?.inputTokenDetails?.cacheWriteTokens ?? 0
  const reasoning = u?.outputTokenDetails?.reasoningTokens ?? 0
  const input = u?.inputTokenDetails?.noCacheTokens ?? Math.max(0, (u?.inputTokens ?? 0) - read - write)
  const output = u?.outputTokenDetails?.textTokens ?? Math.max(0, (u?.outputTokens ?? 0) - reasoning)
  return { total: input + output + reasoning + read + write, input, output, reasoning, cache: { read, write } }
}
