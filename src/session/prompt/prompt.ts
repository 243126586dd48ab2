import type { Instance } from "../../project/instance"
import type { MessageWithParts, PromptInput, Session } from "../schema"
import * as Sessions from "../session"
import * as Store from "../message-store"
import { createLog } from "../../util/log"
import { createUserMessage } from "./user-message"
import { runLoop, cancelledReply } from "./loop"
import { runSubagent, type SubagentRunner } from "../subagent"
import { ensureTitle } from "./title"
import * as Runner from "./runner"
import type { RunStopped } from "./errors"
import { summarizeTurn } from "../diff"
import { sessionInstance, watchInstance } from "../session-instance"

const log = createLog("session.prompt")

/**
 * Stores the user message (synchronously visible to every later request), marks the session
 * busy, and returns the reply's promise. A session already busy queues the prompt: it runs
 * after the ones before it. `noReply` stores the message and answers with it.
 */
export async function submit(
  requestInstance: Instance,
  sessionID: string,
  input: PromptInput,
  opts: { fromClient?: boolean } = {},
): Promise<{ reply: Promise<MessageWithParts> }> {
  const session = Sessions.get(sessionID)
  const release = opts.fromClient && !input.noReply ? Runner.admit(session.id) : undefined
  try {
    return await store(requestInstance, session, input)
  } finally {
    release?.()
  }
}

async function store(requestInstance: Instance, session: Session, input: PromptInput): Promise<{ reply: Promise<MessageWithParts> }> {
  const instance = await sessionInstance(requestInstance, session)
  const isFirst = !Store.lastUserInfo(session.id)
  const turn = await createUserMessage(instance, session, input)
  Sessions.touch(session.id, { agent: turn.info.agent, model: turn.info.model })
  if (input.noReply) return { reply: Promise.resolve({ info: turn.info, parts: turn.parts }) }
  ensureTitle(instance, session, turn.parts, isFirst)
  watchInstance(instance)
  const reply = Runner.enqueue(session, {
    run: async (signal) => {
      const reply = await runLoop({ instance, session, turn, signal, subagent })
      await summarizeTurn(instance, session.id, turn.info.id)
      return reply
    },
    cancelled: () => cancelledReply({ instance, session, turn }),
  })
  return { reply }
}

/** POST /session/:id/message: waits for the reply. */
export async function prompt(instance: Instance, sessionID: string, input: PromptInput): Promise<MessageWithParts> {
  const { reply } = await submit(instance, sessionID, input, { fromClient: true })
  return reply
}

/** POST /session/:id/prompt_async: returns once the prompt is stored and the session is busy. */
export async function promptAsync(instance: Instance, sessionID: string, input: PromptInput): Promise<void> {
  const { reply } = await submit(instance, sessionID, input, { fromClient: true })
  reply.catch((e) => log.error("prompt failed", { sessionID, error: e }))
}

export function abort(sessionID: string, reason?: RunStopped): boolean {
  return Runner.abort(sessionID, reason)
}

// A subagent's turn is an ordinary prompt of its child session. The loop hands this runner to
// subtask parts and to the task tool, so neither imports the prompt modules (that was a cycle).
const subagent: SubagentRunner = (input) => runSubagent(input, submit)
