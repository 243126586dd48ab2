import type { Instance } from "../../project/instance"
import { ascending } from "../../util/id"
import type { AssistantMessage, Tokens, UserMessage } from "../schema"

/** A fresh, open assistant message answering `user`. */
export function newAssistant(instance: Instance, user: UserMessage, mode: string): AssistantMessage {
  return {
    id: ascending("message"),
    sessionID: user.sessionID,
    role: "assistant",
    time: { created: Date.now() },
    parentID: user.id,
    modelID: user.model.modelID,
    providerID: user.model.providerID,
    mode,
    agent: mode,
    ...(user.model.variant ? { variant: user.model.variant } : {}),
    path: { cwd: instance.directory, root: instance.worktree },
    cost: 0,
    tokens: { total: 0, input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
  }
}

export function addUsage(m: AssistantMessage, t: Tokens, cost: number) {
  m.cost += cost
  const input = m.tokens.input + t.input
  const output = m.tokens.output + t.output
  const reasoning = m.tokens.reasoning + t.reasoning
  const cache = { read: m.tokens.cache.read + t.cache.read, write: m.tokens.cache.write + t.cache.write }
  m.tokens = { total: input + output + reasoning + cache.read + cache.write, input, output, reasoning, cache }
}
