import type { ModelMessage } from "ai"
import type { Instance } from "../../project/instance"
import { getModel } from "../../provider"
import { Bus } from "../../bus"
import type { AssistantMessage, MessageError, MessageWithParts, Session, StepFinishPart } from "../schema"
import { SessionError } from "../events"
import * as Message from "../message"
import * as Store from "../message-store"
import * as Sessions from "../session"
import { PartSink } from "./part-sink"
import { buildMessages } from "./build-messages"
import { systemPrompt } from "./system"
import { stepTools } from "./tools"
import { runStep } from "./step"
import { toMessageError } from "./errors"
import { runSubtasks } from "./subtask"
import type { UserTurn } from "./user-message"
import type { SubagentRunner } from "../subagent"
import { newAssistant, addUsage } from "./assistant"
import { closePart } from "../recover"
import { beforeStep } from "../compaction"
import { modelView } from "../compaction-view"
import { createLog } from "../../util/log"
import { transformMessages, trigger } from "../../plugin"
import { getConfig } from "../../config/config"
import maxStepsText from "./text/max-steps.txt" with { type: "text" }

const DEFAULT_MAX_STEPS = 100
const log = createLog("session.loop")

export type LoopInput = {
  instance: Instance
  session: Session
  turn: UserTurn
  signal: AbortSignal
  /** Runs subtask parts and the task tool's children (given by the prompt module). */
  subagent: SubagentRunner
}

/**
 * Answers one user message: each step is a new assistant message (model call + the tools it
 * asked for); steps repeat while the model asks for tools, up to the agent's step limit.
 * Returns the last assistant message with its parts. Provider failures end up on that
 * message (and in `session.error`), never as an exception.
 */
export async function runLoop(input: LoopInput): Promise<MessageWithParts> {
  const current: { message?: AssistantMessage } = {}
  try {
    return await steps(input, current)
  } catch (e) {
    // Our own failure, not the provider's: the reply still ends closed, with the error on it.
    log.error("loop failed", { sessionID: input.session.id, error: e })
    const open = current.message && !current.message.time.completed ? current.message : undefined
    const m = open ?? newAssistant(input.instance, input.turn.info, input.turn.agent.name)
    if (open) closeOpenParts(input.session.directory, input.session.id, m.id)
    return finish(input, m, e)
  }
}

async function steps(input: LoopInput, current: { message?: AssistantMessage }): Promise<MessageWithParts> {
  const { instance, session, turn, signal, subagent } = input
  const user = turn.info
  const agent = turn.agent
  const sink = new PartSink(session.directory)

  let model
  try {
    model = await getModel(instance, user.model)
  } catch (e) {
    const failed = newAssistant(instance, user, agent.name)
    Message.updateMessage(session.directory, failed)
    return finish(input, failed, e)
  }

  await runSubtasks(input, sink)
  const base = await systemPrompt(instance, { agentPrompt: agent.prompt, system: user.system, model: `${model.info.providerID}/${model.info.id}` })
  const system = (await trigger(instance, "experimental.chat.system.transform", { sessionID: session.id, model: model.info }, { system: base })).system.join("\n\n")
  const maxSteps = agent.maxSteps && agent.maxSteps > 0 ? agent.maxSteps : DEFAULT_MAX_STEPS
  const tools = await stepTools(instance, agent, model.info, user.tools)
  const continueOnDeny = (await getConfig(instance)).experimental?.continue_loop_on_deny === true

  // Read once (and again after a compaction): the loop is the only writer of this session's
  // history while it runs.
  let history = Store.list(session.id)
  let snapshot: string | undefined
  for (let step = 1; ; step++) {
    history = await beforeStep({ instance, session, turn, model, signal, history, step })
    const assistant = newAssistant(instance, user, agent.name)
    current.message = assistant
    Message.updateMessage(session.directory, assistant)
    if (signal.aborted) return finish(input, assistant, undefined)
    const final = step >= maxSteps
    const view = modelView(history, user)
    const messages: ModelMessage[] = buildMessages(await transformMessages(instance, view.history), view.current, model.info)
    if (final) messages.push({ role: "user", content: maxStepsText.trim() })
    const result = await runStep({ instance, session, assistant, agent, model, sink, signal, system, messages, tools, final, snapshot, user, subagent })
    snapshot = result.snapshot
    addUsage(assistant, result.tokens, result.cost)
    assistant.finish = result.finishReason
    const stopped = !!result.rejected && !continueOnDeny
    const last = signal.aborted || !!result.error || result.finishReason !== "tool-calls" || final || stopped
    const closed = finish(input, assistant, result.error, { sink, part: result.finishPart, last })
    if (last) return closed
    history.push(closed)
  }
}

/**
 * Closes the message (with its error, if any) together with its step-finish part, announces
 * a failure, and returns the message with its parts.
 */
function finish(input: LoopInput, m: AssistantMessage, error: unknown, step?: { sink: PartSink; part: StepFinishPart; last: boolean }): MessageWithParts {
  const { session, signal } = input
  if (signal.aborted || error !== undefined) {
    const e: MessageError = toMessageError(error, m.providerID, signal)
    m.error = e
    // An abort is the user's own doing: clients learn of it from the message, not as a failure.
    if (!signal.aborted) Bus.publish(session.directory, SessionError, { sessionID: session.id, error: e })
  }
  m.time.completed = Date.now()
  Store.batch(() => {
    if (step) step.sink.put(step.part)
    Message.updateMessage(session.directory, m)
  })
  if (!step || step.last) Sessions.touch(session.id)
  return Store.getMessage(session.id, m.id) ?? { info: m, parts: [] }
}

function closeOpenParts(directory: string, sessionID: string, messageID: string) {
  const now = Date.now()
  for (const part of Store.getMessage(sessionID, messageID)?.parts ?? []) {
    const closed = closePart(part, now, "The reply failed before this part finished")
    if (closed) Message.updatePart(directory, closed)
  }
}

/** The reply to a prompt cancelled before it ran: an empty, aborted assistant message. */
export function cancelledReply(input: Pick<LoopInput, "instance" | "session" | "turn">): MessageWithParts {
  const m = newAssistant(input.instance, input.turn.info, input.turn.agent.name)
  m.error = { name: "MessageAbortedError", data: { message: "Cancelled: the session was aborted before this prompt ran" } }
  m.time.completed = m.time.created
  Message.updateMessage(input.session.directory, m)
  return { info: m, parts: [] }
}
