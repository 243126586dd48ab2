import type { Instance } from "../project/instance"
import { getAgent, listSubagents, type Agent } from "../agent/agent"
import { Bus } from "../bus"
import type { PermissionAction } from "../agent/schema"
import type { MessageWithParts, ModelRef, Part, PromptInput, Session } from "./schema"
import { MessagePartUpdated } from "./events"
import * as Sessions from "./session"
import { abort } from "./prompt/runner"
import { RunStopped } from "./prompt/errors"

/** One tool call of the child, as the parent's tool part shows it while the child works. */
export type ToolSummary = { id: string; tool: string; state: { status: string; title?: string } }

export type SubagentInput = {
  instance: Instance
  parent: Pick<Session, "id">
  agent: string
  description: string
  prompt: string
  /** The parent's model: the child uses it unless its agent names its own. */
  model: ModelRef
  /** Continue this earlier child session instead of starting a new one. */
  sessionID?: string
  /** The agent that asked for the subagent: the child never gets tools it was denied. */
  caller?: Agent
  signal: AbortSignal
  onProgress?: (progress: { sessionId: string; summary: ToolSummary[] }) => void
}

export type SubagentResult = { sessionId: string; text: string; summary: ToolSummary[] }

/** What the loop gives subtask parts and tools (`ToolContext.subagent`) to run a subagent. */
export type SubagentRunner = (input: SubagentInput) => Promise<SubagentResult>

/** `prompt.submit`, passed in: this module is loaded by the prompt modules, not the other way round. */
export type Submit = (instance: Instance, sessionID: string, input: PromptInput) => Promise<{ reply: Promise<MessageWithParts> }>

/**
 * Runs a subagent in a child session of `parent`, as an ordinary prompt of that session (its
 * own run queue, status and abort), and resolves with its final text. Aborting `signal`
 * aborts the child. Unless its agent config turns them back on, the child gets no `task`
 * tool (so subagents cannot spawn subagents without end) and no todo tools (the todo list
 * belongs to the parent's conversation).
 */
export async function runSubagent(input: SubagentInput, submit: Submit): Promise<SubagentResult> {
  const { instance } = input
  if (input.signal.aborted) throw new Error("Aborted before the subagent started")
  const agent = await subagent(instance, input.agent)
  const child = childSession(input, agent)
  const parts = new Map<string, ToolSummary>()
  const summary = () => [...parts.values()].sort((a, b) => a.id.localeCompare(b.id))
  input.onProgress?.({ sessionId: child.id, summary: [] })

  const unsubscribe = Bus.subscribe((e) => {
    if (e.payload.type !== MessagePartUpdated.type) return
    const part = (e.payload.properties as { part: Part }).part
    if (part.sessionID !== child.id || part.type !== "tool") return
    const title = part.state.status === "completed" || part.state.status === "running" ? part.state.title : undefined
    parts.set(part.id, { id: part.id, tool: part.tool, state: { status: part.state.status, ...(title ? { title } : {}) } })
    input.onProgress?.({ sessionId: child.id, summary: summary() })
  })
  const stop = () => abort(child.id, input.signal.reason instanceof RunStopped ? input.signal.reason : undefined)
  input.signal.addEventListener("abort", stop, { once: true })
  try {
    const { reply } = await submit(instance, child.id, {
      agent: agent.name,
      model: agent.model ?? input.model,
      tools: { todowrite: false, todoread: false, task: false, ...agent.tools, ...(input.caller ? narrowed(input.caller, agent) : {}) },
      parts: [{ type: "text", text: input.prompt }],
    })
    // An abort while the prompt was being stored found nothing running yet.
    if (input.signal.aborted) abort(child.id)
    const result = await reply
    return { sessionId: child.id, text: finalText(result), summary: summary() }
  } finally {
    input.signal.removeEventListener("abort", stop)
    unsubscribe()
  }
}

async function subagent(instance: Instance, name: string): Promise<Agent> {
  const agent = await getAgent(instance, name)
  if (agent) return agent
  const names = (await listSubagents(instance)).map((a) => a.name).join(", ")
  throw new Error(`Unknown agent "${name}". Available subagents: ${names || "none"}.`)
}

function childSession(input: SubagentInput, agent: Agent): Session {
  if (input.sessionID) {
    const found = Sessions.get(input.sessionID)
    if (found.parentID !== input.parent.id) throw new Error(`Session ${input.sessionID} is not a task session of this session; leave session_id out to start a new task.`)
    return found
  }
  if (depth(input.parent.id) >= MAX_DEPTH)
    throw new Error(`Subagents are nested ${MAX_DEPTH} deep already; do this task yourself instead of delegating it further.`)
  return Sessions.create(input.instance, { parentID: input.parent.id, title: `${input.description} (@${agent.name} subagent)` })
}

// Only reachable when config gives a subagent the task tool back: a bound on delegation chains.
const MAX_DEPTH = 4

function depth(sessionID: string): number {
  let n = 0
  for (let s = Sessions.get(sessionID); s.parentID; s = Sessions.get(s.parentID)) n++
  return n
}

/** The reply's own text, or why there is none. */
function finalText(result: MessageWithParts): string {
  const text = result.parts
    .filter((p) => p.type === "text" && !p.synthetic)
    .map((p) => (p as { text: string }).text)
    .join("\n")
    .trim()
  const info = result.info
  if (info.role === "assistant" && info.error) {
    const why = `${info.error.name}: ${String(info.error.data.message ?? "")}`
    if (!text) throw new Error(`The subagent failed: ${why}`)
    return `${text}\n\n(The subagent stopped early: ${why})`
  }
  return text
}

const RANK: Record<PermissionAction, number> = { allow: 0, ask: 1, deny: 2 }
const EDITING = ["edit", "write", "patch", "multiedit"]

/**
 * Tools the child loses so that delegating never widens what the caller may do: a plan
 * agent's subagent cannot edit, nor run commands under looser shell rules than plan's own.
 */
function narrowed(caller: Agent, child: Agent): Record<string, boolean> {
  const off: Record<string, boolean> = {}
  const looser = (mine: PermissionAction | undefined, theirs: PermissionAction | undefined) => RANK[theirs ?? "allow"] < RANK[mine ?? "allow"]
  if (looser(caller.permission.edit, child.permission.edit)) for (const id of EDITING) off[id] = false
  if (looser(caller.permission.webfetch, child.permission.webfetch)) off.webfetch = false
  const bashOpen = Object.entries(caller.permission.bash).every(([, action]) => action === "allow")
  if (!bashOpen && !sameRules(caller.permission.bash, child.permission.bash)) off.bash = false
  return off
}

function sameRules(a: Record<string, PermissionAction>, b: Record<string, PermissionAction>) {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}
