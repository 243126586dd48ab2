import { ascending } from "../../util/id"
import { errorMessage } from "../../util/error"
import type { SubtaskPart, ToolPart } from "../schema"
import * as Message from "../message"
import type { PartSink } from "./part-sink"
import { newAssistant } from "./assistant"
import type { LoopInput } from "./loop"

/**
 * A prompt's subtask parts run first, each as a child session driven by the named agent
 * (the same way the `task` tool runs one). The parent records each as a `task` tool call
 * whose output is the child's final answer, so the parent's model sees it on its next step.
 */
export async function runSubtasks(input: LoopInput, sink: PartSink) {
  const tasks = input.turn.parts.filter((p): p is SubtaskPart => p.type === "subtask")
  for (const task of tasks) {
    if (input.signal.aborted) return
    await runOne(input, sink, task)
  }
}

async function runOne(input: LoopInput, sink: PartSink, task: SubtaskPart) {
  const { instance, session, turn, signal, subagent } = input
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
    const result = await subagent({
      instance,
      parent: session,
      agent: task.agent,
      description: task.description,
      prompt: task.prompt,
      model: turn.info.model,
      signal,
      onProgress: (metadata) => {
        if (part.state.status !== "running") return
        part.state.metadata = metadata
        sink.put(part)
      },
    })
    const metadata = { sessionId: result.sessionId, summary: result.summary }
    part.state = { status: "completed", input: args, output: result.text, title: task.description, metadata, time: { start, end: Date.now() } }
  } catch (e) {
    const metadata = part.state.status === "running" ? part.state.metadata : undefined
    part.state = { status: "error", input: args, error: errorMessage(e), ...(metadata ? { metadata } : {}), time: { start, end: Date.now() } }
  }
  sink.put(part)
  assistant.time.completed = Date.now()
  Message.updateMessage(session.directory, assistant)
}
