import { getInstance } from "../../src/project/instance"
import * as Permission from "../../src/permission/permission"
import { PermissionDeniedError, type PermissionRequest, type ToolContext } from "../../src/tool/tool"
import { ascending } from "../../src/util/id"

/** Tools tested alone run no subagents: the task tool is tested through the loop (test/session/). */
export const noSubagents: ToolContext["subagent"] = () => Promise.reject(new Error("this test context runs no subagents"))

/**
 * A real ToolContext over a real Instance. ask() is the test's own permission collaborator:
 * it records every request and refuses the types listed in `deny` (by default
 * external_directory, as the server does until a rule permits it).
 */
export async function toolContext(directory: string, opts: { deny?: string[]; sessionID?: string } = {}) {
  const instance = await getInstance(directory)
  const asks: PermissionRequest[] = []
  const updates: Array<{ title?: string; metadata?: Record<string, unknown> }> = []
  const controller = new AbortController()
  const deny = new Set(opts.deny ?? ["external_directory"])
  const ctx: ToolContext = {
    instance,
    sessionID: opts.sessionID ?? ascending("session"),
    messageID: ascending("message"),
    callID: "call_" + Math.random().toString(36).slice(2),
    agent: "build",
    abort: controller.signal,
    subagent: noSubagents,
    metadata: (u) => void updates.push(u),
    async ask(request) {
      asks.push(request)
      if (deny.has(request.type)) throw new PermissionDeniedError(`denied: ${request.type} ${request.pattern}`)
    },
  }
  return { ctx, asks, updates, controller, instance }
}


/**
 * A ToolContext whose ask() goes through the real permission gate with the given agent
 * rules (config defaults otherwise), recording each request on the way.
 */
export async function gatedContext(directory: string, opts: { permission?: Record<string, unknown>; abort?: AbortSignal; sessionID?: string } = {}) {
  const instance = await getInstance(directory)
  const asked: PermissionRequest[] = []
  const abort = opts.abort ?? new AbortController().signal
  const ids = { sessionID: opts.sessionID ?? ascending("session"), messageID: "msg_1", callID: "call_1" }
  const ctx: ToolContext = {
    instance,
    ...ids,
    agent: "build",
    abort,
    subagent: noSubagents,
    metadata() {},
    ask: (request) => (asked.push(request), Permission.ask({ instance, ...ids, agent: { name: "build", permission: opts.permission }, request, abort })),
  }
  return { ctx, asked, instance }
}
