import type { LanguageModel, ModelMessage } from "ai"
import type { Instance } from "../project/instance"
import { defaultAgent, getAgent } from "../agent/agent"
import { Bus } from "../bus"
import { getConfig } from "../config/config"
import { getModel, ModelNotFoundError, ProviderInitError, type Model } from "../provider"
import { BadRequestError } from "../util/error"
import { ascending } from "../util/id"
import type { AssistantMessage, MessageWithParts, ModelRef, Session, StepFinishPart, Tokens, UserMessage } from "./schema"
import { SessionCompacted, SessionError } from "./events"
import * as Message from "./message"
import * as Store from "./message-store"
import * as Sessions from "./session"
import * as SessionStore from "./store"
import { modelView } from "./compaction-view"
import { ReplyFailedError } from "./reply-error"
import { prune } from "./prune"
import { newAssistant, addUsage } from "./prompt/assistant"
import { toMessageError } from "./prompt/errors"
import { PartSink } from "./prompt/part-sink"
import { sessionInstance, watchInstance } from "./session-instance"
import * as Runner from "./prompt/runner"
import { runStep } from "./prompt/step"
import { compactionPrompt } from "../plugin"
import type { UserTurn } from "./prompt/user-message"
import { transcript } from "./transcript"
import instructions from "./text/summary-system.txt" with { type: "text" }
import transcriptIntro from "./text/compaction-transcript.txt" with { type: "text" }
import question from "./text/compaction-question.txt" with { type: "text" }

/** What a reply may take at most, reserved out of the context window (as the loop caps it). */
const OUTPUT_RESERVE_MAX = 32_000

/**
 * POST /session/:id/summarize: stores the request as a user message with a `compaction` part
 * (in queue order, like a prompt) and waits for the summary. From then on the model sees
 * the summary in place of everything before it.
 */
export async function summarize(requestInstance: Instance, sessionID: string, input: { providerID: string; modelID: string; auto?: boolean }): Promise<true> {
  const session = Sessions.get(sessionID)
  const instance = await sessionInstance(requestInstance, session)
  const model: ModelRef = { providerID: input.providerID, modelID: input.modelID }
  await getModel(instance, model).catch((e) => {
    // A missing key is the summary's own error, like a prompt's; unknown models fail the request.
    if (e instanceof ModelNotFoundError || e instanceof ProviderInitError) throw e
  })
  const last = Store.lastUserInfo(session.id) as UserMessage | undefined
  if (!last) throw new BadRequestError(`Session ${session.id} has no messages to summarize`, "Body")
  const request: UserMessage = { id: ascending("message"), sessionID: session.id, role: "user", time: { created: Date.now() }, agent: last.agent, model }
  Message.createWithParts(session.directory, request, [
    { id: ascending("part"), sessionID: session.id, messageID: request.id, type: "compaction", auto: input.auto ?? false },
  ])
  Sessions.touch(session.id)
  watchInstance(instance)
  const reply = await Runner.enqueue(session, {
    run: (signal) => compact({ instance, session, target: request, agent: last.agent, model, signal }),
    cancelled: () => {
      const m = summaryMessage(instance, request)
      m.error = { name: "MessageAbortedError", data: { message: "Cancelled: the session was aborted before the summary ran" } }
      m.time.completed = m.time.created
      Message.updateMessage(session.directory, m)
      return { info: m, parts: [] }
    },
  })
  if (reply.info.role === "assistant" && reply.info.error) throw new ReplyFailedError(reply.info.error, "The session was not summarized")
  return true
}

export type StepGate = {
  instance: Instance
  session: Session
  turn: UserTurn
  model: { info: Model; language: LanguageModel }
  signal: AbortSignal
  history: MessageWithParts[]
  step: number
}

/**
 * Runs before each step of the loop. At a turn's start, old tool outputs may be pruned;
 * whenever the newest reply used nearly all of the context window, the history is compacted
 * (a `compaction` part with `auto: true` on the turn's user message, then a summary) so the
 * next step fits. Returns the history to build the step from.
 */
export async function beforeStep(gate: StepGate): Promise<MessageWithParts[]> {
  const { instance, session, turn, history, signal } = gate
  if (signal.aborted) return history
  const settings = (await getConfig(instance)).compaction ?? {}
  if (gate.step === 1 && settings.prune !== false) prune(session.directory, history)
  if (settings.auto === false) return history
  const last = history.findLast((m) => m.info.role === "assistant" && (m.info.summary || used(m.info.tokens) > 0))
  if (!last || last.info.role !== "assistant" || last.info.summary || !overflows(last.info.tokens, gate.model.info)) return history
  // Before any reply to this turn, its prompt is kept out of the summary and shown after it;
  // later, the turn so far is summarized and the model is told to carry on.
  const answered = history.some((m) => m.info.role === "assistant" && m.info.parentID === turn.info.id)
  await compact({
    instance,
    session,
    target: turn.info,
    agent: turn.agent.name,
    model: turn.info.model,
    signal,
    mark: true,
    exclude: answered ? undefined : turn.info.id,
  })
  return Store.list(session.id)
}

/** Whether usage this large leaves too little room for the next call. Unknown limits never overflow. */
export function overflows(tokens: Tokens, model: Model): boolean {
  const context = model.limit.context
  if (!context) return false
  const reserve = Math.min(model.limit.output || OUTPUT_RESERVE_MAX, OUTPUT_RESERVE_MAX)
  const usable = model.limit.input || context - reserve
  return used(tokens) > usable
}

function used(t: Tokens) {
  return t.input + t.cache.read + t.cache.write + t.output
}

type CompactInput = {
  instance: Instance
  session: Session
  /** The user message the summary answers (and the boundary the model's view starts from). */
  target: UserMessage
  agent: string
  model: ModelRef
  signal: AbortSignal
  /** Adds an automatic `compaction` part to the target first. */
  mark?: boolean
  /** A user message left out of what is summarized. */
  exclude?: string
}

/**
 * Asks the model for a summary of the history up to `target` and stores it as an assistant
 * message with `summary: true`, answering `target`. A failure stays on that message (and in
 * `session.error`); the history is then left as it was.
 */
async function compact(input: CompactInput): Promise<MessageWithParts> {
  const { instance, session, target, signal } = input
  const dir = session.directory
  if (input.mark) Message.updatePart(dir, { id: ascending("part"), sessionID: session.id, messageID: target.id, type: "compaction", auto: true })
  const history = Store.list(session.id).filter((m) => m.info.id !== input.exclude)
  const assistant = summaryMessage(instance, target)
  Message.updateMessage(dir, assistant)
  setCompacting(session.id, true)
  let error: unknown
  const sink = new PartSink(dir)
  let finishPart: StepFinishPart | undefined
  try {
    const model = await getModel(instance, input.model)
    const agent = (await getAgent(instance, input.agent)) ?? (await defaultAgent(instance))
    const view = modelView(history, target)
    const ask = await compactionPrompt(instance, session.id, question.trim())
    const messages: ModelMessage[] = [{ role: "user", content: summaryRequest(view.history, view.current, ask) }]
    const result = await runStep({
      instance,
      session,
      assistant,
      agent,
      model,
      sink,
      signal,
      system: instructions.trim(),
      messages,
      tools: { defs: new Map(), set: {} },
      final: false,
      user: target,
    })
    addUsage(assistant, result.tokens, result.cost)
    assistant.finish = result.finishReason
    finishPart = result.finishPart
    error = result.error
    if (error === undefined && !signal.aborted && !hasText(Store.getMessage(session.id, assistant.id)))
      error = new Error("The model answered with an empty summary")
  } catch (e) {
    error = e
  } finally {
    setCompacting(session.id, false)
  }
  const failed = signal.aborted || error !== undefined
  if (failed) assistant.error = toMessageError(error, assistant.providerID, signal)
  assistant.time.completed = Date.now()
  Store.batch(() => {
    if (finishPart) sink.put(finishPart)
    Message.updateMessage(dir, assistant)
  })
  if (!failed) Bus.publish(dir, SessionCompacted, { sessionID: session.id })
  else if (!signal.aborted) Bus.publish(dir, SessionError, { sessionID: session.id, error: assistant.error })
  return Store.getMessage(session.id, assistant.id) ?? { info: assistant, parts: [] }
}

/** One user message: the transcript framed as material, then the question (see transcript.ts). */
export function summaryRequest(history: MessageWithParts[], current: UserMessage, ask = question.trim()): string {
  return `${transcriptIntro.trim()}\n\n<transcript>\n${transcript(history, current)}\n</transcript>\n\n${ask}`
}

function summaryMessage(instance: Instance, target: UserMessage): AssistantMessage {
  return { ...newAssistant(instance, target, "compaction"), summary: true }
}

function hasText(m: MessageWithParts | undefined) {
  return !!m?.parts.some((p) => p.type === "text" && p.text.trim())
}

function setCompacting(sessionID: string, on: boolean) {
  const s = SessionStore.get(sessionID)
  if (!s) return
  if (on) s.time.compacting = Date.now()
  else delete s.time.compacting
  Sessions.save(s)
}
