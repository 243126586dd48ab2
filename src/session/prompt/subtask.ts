import { ascending } from "../../util/id"
import { errorMessage } from "../../util/error"
import type { SubtaskPart, ToolPart } from "../schema"
import * as Message from "../message"
import * as Sessions from "../session"
import * as Status from "../status"
import type { PartSink } from "./part-sink"
import { newAssistant } from "./assistant"
import { createUserMessage } from "./user-message"
import { runLoop, type LoopInput } from "./loop"

/**
 * A prompt's subtask parts run first, each as a child session driven by the named agent.
 * The parent records each as a completed `task` tool call whose output is the child's final
 * answer, so the parent's model sees the result on its next step.
 */
export async function runSubtasks(input: LoopInput, sink: PartSink) {
  const tasks = input.turn.parts.filter((p): p is SubtaskPart => p.type === "subtask")
  for (const task of tasks) {
    if (input.signal.aborted) return
    await runOne(input, sink, task)
  }
}

async function runOne(input: LoopInput, sink: PartSink, task: SubtaskPart) {
  const { instance, session, turn, signal } = input
  const assistant = newAssistant(instance, turn.info, task.agent)
  Message.updateMessage(session.directory, assistant)
  const start = Date.now()
  const args = { description: task.description, prompt: task.prompt, subagent_type: task.agent }
  const part: ToolPart = {
    id: ascending("part"),
    sessionID: session.id,
    messageID: assistant.id,
    type: "tool",
    callID: ascending("tool"),
    tool: "task",
    state: { status: "running", input: args, title: task.description, time: { start } },
  }
  sink.put(part)
  try {
    const child = Sessions.create(instance, { parentID: session.id, title: `${task.description} (@${task.agent} subagent)` })
    const childTurn = await createUserMessage(instance, child, { agent: task.agent, model: turn.info.model, parts: [{ type: "text", text: task.prompt }] })
    Status.set(child, { type: "busy" })
    const result = await runLoop({ instance, session: child, turn: childTurn, signal }).finally(() => Status.set(child, { type: "idle" }))
    const answer = result.parts
      .filter((p) => p.type === "text" && !p.synthetic)
      .map((p) => (p as { text: string }).text)
      .join("\n")
    if (result.info.role === "assistant" && result.info.error) throw new Error(`${result.info.error.name}: ${String(result.info.error.data.message ?? "")}`)
    part.state = { status: "completed", input: args, output: answer, title: task.description, metadata: { sessionId: child.id }, time: { start, end: Date.now() } }
  } catch (e) {
    part.state = { status: "error", input: args, error: errorMessage(e), time: { start, end: Date.now() } }
  }
  sink.put(part)
  assistant.time.completed = Date.now()
  Message.updateMessage(session.directory, assistant)
}
