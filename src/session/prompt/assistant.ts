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
    path: { cwd: instance.directory, root: instance.worktree },
    cost: 0,
    tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
  }
}

export function addUsage(m: AssistantMessage, t: Tokens, cost: number) {
  m.cost += cost
  m.tokens = {
    input: m.tokens.input + t.input,
    output: m.tokens.output + t.output,
    reasoning: m.tokens.reasoning + t.reasoning,
    cache: { read: m.tokens.cache.read + t.cache.read, write: m.tokens.cache.write + t.cache.write },
  }
}
