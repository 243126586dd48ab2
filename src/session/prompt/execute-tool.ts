import { Value } from "@sinclair/typebox/value"
import type { Instance } from "../../project/instance"
import type { Agent } from "../../agent/agent"
import { ask } from "../../permission/permission"
import { trigger } from "../../plugin"
import { PermissionRejectedError, type ToolContext, type ToolDef, type ToolResult } from "../../tool/tool"
import { errorMessage } from "../../util/error"
import { ascending } from "../../util/id"
import type { ToolPart } from "../schema"
import type { PartSink } from "./part-sink"
import { abortText } from "./errors"
import type { SubagentRunner } from "../subagent"

export type ToolRun = {
  instance: Instance
  agent: Agent
  sink: PartSink
  signal: AbortSignal
  defs: Map<string, ToolDef>
  subagent: SubagentRunner
}

const ABORTED = "Aborted: the user stopped this reply before the tool finished."

/**
 * Runs one tool call recorded as a pending tool part: running → completed or error. Any
 * failure (unknown tool, bad input, denied permission, a throw) becomes an error the model
 * reads; nothing here fails the reply. An abort settles the part at once, without waiting
 * for a tool that ignores its signal. Answers "rejected" when the user turned the call down
 * (the loop then stops, see PermissionRejectedError).
 */
export async function executeTool(run: ToolRun, part: ToolPart): Promise<"rejected" | void> {
  let input = (part.state.input ?? {}) as Record<string, unknown>
  const start = Date.now()
  const fail = (error: string, metadata?: Record<string, unknown>) => {
    part.state = { status: "error", input, error, ...(metadata ? { metadata } : {}), time: { start, end: Date.now() } }
    run.sink.put(part)
  }
  if (part.state.status === "error") return
  const def = run.defs.get(part.tool)
  if (!def) return fail(`Unknown tool "${part.tool}". Available tools: ${[...run.defs.keys()].join(", ") || "none"}.`)
  try {
    const hooked = { tool: part.tool, sessionID: part.sessionID, callID: part.callID }
    input = (await trigger(run.instance, "tool.execute.before", hooked, { args: input })).args ?? input
  } catch (e) {
    return fail(errorMessage(e))
  }
  const invalid = def.validate ? def.validate(input) : validate(def, input)
  if (invalid) return fail(`Invalid input for tool "${part.tool}": ${invalid}. Fix the arguments and call it again.`)
  if (run.signal.aborted) return fail(abortText(run.signal, ABORTED))

  const running = { status: "running" as const, input, time: { start }, title: undefined as string | undefined, metadata: undefined as Record<string, unknown> | undefined }
  part.state = running
  run.sink.put(part)

  const ctx: ToolContext = {
    instance: run.instance,
    sessionID: part.sessionID,
    messageID: part.messageID,
    callID: part.callID,
    agent: run.agent.name,
    abort: run.signal,
    subagent: run.subagent,
    metadata(update) {
      if (part.state !== running) return
      if (update.title !== undefined) running.title = update.title
      if (update.metadata !== undefined) running.metadata = update.metadata
      run.sink.put(part)
    },
    ask: (request) =>
      ask({
        instance: run.instance,
        sessionID: part.sessionID,
        messageID: part.messageID,
        callID: part.callID,
        agent: run.agent,
        request,
        abort: run.signal,
      }),
  }

  let result: ToolResult
  try {
    result = await untilAborted(def.execute(input as never, ctx), run.signal)
    const after = { tool: part.tool, sessionID: part.sessionID, callID: part.callID, args: input }
    result = { ...result, ...(await trigger(run.instance, "tool.execute.after", after, { title: result.title, output: result.output, metadata: result.metadata ?? {} })) }
  } catch (e) {
    if (e instanceof PermissionRejectedError && !run.signal.aborted) {
      fail(e.message, running.metadata)
      return "rejected"
    }
    return fail(run.signal.aborted ? abortText(run.signal, ABORTED) : errorMessage(e), running.metadata)
  }
  part.state = {
    status: "completed",
    input,
    output: result.output,
    title: result.title,
    metadata: result.metadata ?? {},
    time: { start, end: Date.now() },
    ...(result.attachments?.length
      ? { attachments: result.attachments.map((a) => ({ ...a, id: ascending("part"), sessionID: part.sessionID, messageID: part.messageID })) }
      : {}),
  }
  run.sink.put(part)
}

function validate(def: ToolDef, input: unknown): string | undefined {
  if (Value.Check(def.parameters, input)) return undefined
  const first = Value.Errors(def.parameters, input).First()
  if (!first) return "does not match the tool's schema"
  const where = first.path ? first.path.replace(/^\//, "").replace(/\//g, ".") : "(root)"
  return `${where}: ${first.message}`
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error(ABORTED))
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new Error(ABORTED))
    signal.addEventListener("abort", stop, { once: true })
    work.then(
      (v) => (signal.removeEventListener("abort", stop), resolve(v)),
      (e) => (signal.removeEventListener("abort", stop), reject(e)),
    )
  })
}
