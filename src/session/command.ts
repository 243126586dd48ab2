import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { pathToFileURL } from "node:url"
import type { Instance } from "../project/instance"
import { contains } from "../project/paths"
import { defaultAgent, getAgent, listAgents, parseModel, type Agent } from "../agent/agent"
import { getCommand, listCommands } from "../command"
import { Bus } from "../bus"
import { BadRequestError, ConflictError, NotFoundError } from "../util/error"
import type { MessageWithParts, ModelRef, PartInput, Session } from "./schema"
import { CommandExecuted } from "./events"
import * as Sessions from "./session"
import { prompt } from "./prompt/prompt"
import { sessionInstance, watchInstance } from "./session-instance"
import * as Runner from "./prompt/runner"
import { trigger } from "../plugin"
import { expandCommand, references } from "./command-template"

type FileInput = Extract<PartInput, { type: "file" }>

export type CommandInput = {
  messageID?: string
  agent?: string
  /** "provider/model" */
  model?: string
  command: string
  arguments: string
  /** Extra files to attach (opencode 1.18 clients send the prompt's files here). */
  parts?: FileInput[]
}

/**
 * POST /session/:id/command: expands a command's template (arguments, !`cmd` output, @file
 * attachments) and sends it as a prompt, with the command's own agent and model when it
 * names them (they win over the request's, which clients fill with their current choice).
 * A `subtask` command, or one whose agent is a subagent, runs as a subagent. Answers with
 * the reply, like POST /message, then announces `command.executed`.
 */
export async function runCommand(requestInstance: Instance, sessionID: string, input: CommandInput): Promise<MessageWithParts> {
  const session = Sessions.get(sessionID)
  const instance = await sessionInstance(requestInstance, session)
  const command = await getCommand(instance, input.command)
  if (!command) {
    const names = (await listCommands(instance)).map((c) => c.name)
    throw new NotFoundError(`Command not found: "${input.command}". Available commands: ${names.join(", ") || "none"}`)
  }
  const agentName = command.agent ?? input.agent
  const agent = agentName ? await getAgent(instance, agentName) : await defaultAgent(instance)
  if (!agent) {
    const names = (await listAgents(instance)).map((a) => a.name).join(", ")
    const source = command.agent ? ` (named by command "${command.name}")` : ""
    throw new BadRequestError(`Unknown agent "${agentName}"${source}. Available agents: ${names}`, "Body")
  }
  const model = resolveModel(command.model, command.agent ? agent : undefined, input.model)

  watchInstance(instance)
  const text = await expand(session, command.template, input.arguments, instance.directory)
  const subtask = command.subtask === true || (agent.mode === "subagent" && command.subtask !== false)
  let parts: PartInput[]
  let promptAgent = agent.name
  if (subtask) {
    parts = [{ type: "subtask", agent: agent.name, description: command.description ?? command.name, prompt: text }]
    const requested = input.agent && input.agent !== agent.name ? await getAgent(instance, input.agent) : undefined
    promptAgent = requested && requested.mode !== "subagent" ? requested.name : (await defaultAgent(instance)).name
  } else {
    parts = [{ type: "text", text }, ...(await mentions(instance, text)), ...(input.parts ?? [])]
  }
  parts = (await trigger(instance, "command.execute.before", { command: command.name, sessionID: session.id, arguments: input.arguments }, { parts })).parts
  const reply = await prompt(instance, session.id, { messageID: input.messageID, agent: promptAgent, ...(model ? { model } : {}), parts })
  Bus.publish(session.directory, CommandExecuted, { name: command.name, sessionID: session.id, arguments: input.arguments, messageID: reply.info.id })
  return reply
}

/** The template's !`cmd` output filled in; the session's abort kills the commands and fails the request. */
async function expand(session: Session, template: string, args: string, cwd: string): Promise<string> {
  const { signal, release } = Runner.prepare(session)
  try {
    const text = await expandCommand(template, args, cwd, signal)
    if (signal.aborted) throw new ConflictError("MessageAbortedError", `The command was aborted while its shell commands ran; nothing was sent to the model.`)
    return text
  } finally {
    release()
  }
}

/** The command's model, else its agent's, else the request's; undefined leaves it to the prompt. */
function resolveModel(commandModel: string | undefined, commandAgent: Agent | undefined, requested: string | undefined): ModelRef | undefined {
  if (commandModel) return parse(commandModel, "the command's model")
  if (commandAgent?.model) return commandAgent.model
  if (requested) return parse(requested, "model")
  return undefined
}

function parse(ref: string, what: string): ModelRef {
  const model = parseModel(ref)
  if (!model) throw new BadRequestError(`Invalid ${what} "${ref}": expected "provider/model"`, "Body")
  return model
}

/** `@path` of an existing project file or directory attaches it; `@name` of an agent mentions it. */
async function mentions(instance: Instance, text: string): Promise<PartInput[]> {
  const out: PartInput[] = []
  const seen = new Set<string>()
  let agents: Agent[] | undefined
  for (const ref of references(text)) {
    const source = { value: text.slice(ref.start, ref.end), start: ref.start, end: ref.end }
    const name = ref.name.startsWith("~/") ? path.join(os.homedir(), ref.name.slice(2)) : ref.name
    const file = path.resolve(instance.directory, name)
    const stat = inProject(instance, file) ? statOf(file) : undefined
    if (stat) {
      if (seen.has(file)) continue
      seen.add(file)
      const rel = path.relative(instance.directory, file) || "."
      const mime = stat.isDirectory() ? "application/x-directory" : Bun.file(file).type.split(";")[0] || "text/plain"
      out.push({ type: "file", mime, filename: rel, url: pathToFileURL(file).href, source: { type: "file", path: rel, text: source } })
      continue
    }
    agents ??= await listAgents(instance)
    if (agents.some((a) => a.name === ref.name) && !seen.has("@" + ref.name)) {
      seen.add("@" + ref.name)
      out.push({ type: "agent", name: ref.name, source })
    }
  }
  return out
}

function inProject(instance: Instance, file: string) {
  return contains(instance.directory, file) || contains(instance.worktree, file)
}

function statOf(file: string) {
  try {
    return fs.statSync(file)
  } catch {
    return undefined
  }
}
