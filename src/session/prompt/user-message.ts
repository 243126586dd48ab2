import { pathToFileURL } from "node:url"
import type { Instance } from "../../project/instance"
import { getAgent, defaultAgent, listAgents, type Agent } from "../../agent/agent"
import { getModel, defaultModel, ModelNotFoundError, ProviderInitError } from "../../provider"
import { BadRequestError, ConflictError } from "../../util/error"
import { ascending } from "../../util/id"
import type { ModelRef, Part, PartInput, PromptInput, Session, UserMessage } from "../schema"
import * as Store from "../message-store"
import * as Message from "../message"
import { localPath, readAttachment } from "./attachment"
import { cleanup as cleanupRevert } from "../revert"
import { trigger } from "../../plugin"
import mention from "./text/agent-mention.txt" with { type: "text" }

export type UserTurn = { info: UserMessage; parts: Part[]; agent: Agent }

/**
 * Resolves the prompt's agent and model (unknown ones are a 400 naming them, before anything
 * is stored), reads attached files, and stores the user message with its parts in one
 * transaction.
 */
export async function createUserMessage(instance: Instance, session: Session, input: PromptInput): Promise<UserTurn> {
  const agent = await resolveAgent(instance, input.agent)
  const last = Store.lastUserInfo(session.id)
  const model: ModelRef =
    input.model ?? agent.model ?? (last?.role === "user" ? last.model : undefined) ?? (await defaultModel(instance))
  await checkModel(instance, model)
  const id = input.messageID ?? ascending("message")
  if (input.messageID && Store.exists(input.messageID)) throw new ConflictError("MessageExistsError", `Message ${input.messageID} already exists`)
  const info: UserMessage = {
    id,
    sessionID: session.id,
    role: "user",
    time: { created: Date.now() },
    agent: agent.name,
    model: { providerID: model.providerID, modelID: model.modelID, ...(input.variant ? { variant: input.variant } : {}) },
    ...(input.system ? { system: input.system } : {}),
    ...(input.tools ? { tools: input.tools } : {}),
  }
  const parts = input.parts.flatMap((p) => toParts(instance, info, p))
  if (parts.length === 0) throw new BadRequestError("A prompt needs at least one part", "Body")
  const hookInput = { sessionID: session.id, agent: agent.name, model: info.model, messageID: id }
  await trigger(instance, "chat.message", hookInput, { message: info, parts })
  // A valid prompt to a reverted session discards the reverted turns first.
  cleanupRevert(session.id)
  Message.createWithParts(session.directory, info, parts)
  return { info, parts, agent }
}

async function resolveAgent(instance: Instance, name: string | undefined): Promise<Agent> {
  if (!name) return defaultAgent(instance)
  const agent = await getAgent(instance, name)
  if (agent) return agent
  const names = (await listAgents(instance)).map((a) => a.name).join(", ")
  throw new BadRequestError(`Unknown agent "${name}". Available agents: ${names}`, "Body")
}

/** Unknown models and unusable providers fail the request; a missing key is the reply's error. */
async function checkModel(instance: Instance, model: ModelRef) {
  try {
    await getModel(instance, model)
  } catch (e) {
    if (e instanceof ModelNotFoundError || e instanceof ProviderInitError) throw e
  }
}

function toParts(instance: Instance, msg: UserMessage, input: PartInput): Part[] {
  const base = { id: input.id ?? ascending("part"), sessionID: msg.sessionID, messageID: msg.id }
  switch (input.type) {
    case "text": {
      const { id: _, ...rest } = input
      return [{ ...rest, ...base }]
    }
    case "agent": {
      const { id: _, ...rest } = input
      const note = mention.replaceAll("{agent}", input.name).trim()
      return [{ ...rest, ...base }, { ...base, id: ascending("part"), type: "text", text: note, synthetic: true }]
    }
    case "subtask": {
      const { id: _, ...rest } = input
      return [{ ...rest, ...base }]
    }
    case "file":
      return fileParts(instance, base, input)
  }
}

function fileParts(instance: Instance, base: { id: string; sessionID: string; messageID: string }, input: Extract<PartInput, { type: "file" }>): Part[] {
  const { id: _, ...rest } = input
  if (!localPath(instance, input.url)) return [{ ...rest, ...base }]
  const a = readAttachment(instance, input.url, input.mime)
  const filename = input.filename ?? a.path.split("/").pop()
  if (a.kind === "data") return [{ ...rest, ...base, filename, mime: a.mime, url: a.url }]
  const file: Part = { ...rest, ...base, filename, url: pathToFileURL(a.path).href }
  const note = a.truncated ? "\n(truncated: only the beginning of the file is shown)" : ""
  const text = `Attached file ${a.path}:\n<file>\n${a.text}\n</file>${note}`
  return [file, { ...base, id: ascending("part"), type: "text", text, synthetic: true }]
}
