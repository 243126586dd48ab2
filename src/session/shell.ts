import type { Instance } from "../project/instance"
import { runShell, type ShellRun } from "../tool/shell"
import { shellEnv } from "../plugin"
import { BadRequestError, errorMessage } from "../util/error"
import { ascending } from "../util/id"
import type { MessageWithParts, ModelRef, Session, ToolPart } from "./schema"
import * as Message from "./message"
import * as Store from "./message-store"
import * as Sessions from "./session"
import { newAssistant } from "./prompt/assistant"
import { cancelledReply } from "./prompt/loop"
import { abortText } from "./prompt/errors"
import { SessionBusyError, sessionInstance, watchInstance } from "./session-instance"
import * as Runner from "./prompt/runner"
import { createUserMessage, type UserTurn } from "./prompt/user-message"
import note from "./text/shell-note.txt" with { type: "text" }

export type ShellInput = { agent: string; model?: ModelRef; command: string; messageID?: string }

/** How often streaming output is pushed into the running tool part. */
const PUSH_EVERY_MS = 100
// The user started it and can abort it: no time limit of ours, only setTimeout's own maximum.
const NO_TIMEOUT_MS = 2_147_483_647


/**
 * POST /session/:id/shell: runs a command the user typed in the project's shell, recorded as a
 * user message (a synthetic note) answered by an assistant message holding one `bash` tool
 * part, so the model sees command and output in later turns. The run holds the session like a
 * prompt does: abort kills the command and everything it started.
 */
export async function shell(requestInstance: Instance, sessionID: string, input: ShellInput): Promise<MessageWithParts> {
  const session = Sessions.get(sessionID)
  if (!input.command.trim()) throw new BadRequestError("The shell command is empty", "Body")
  if (Runner.isBusy(session.id)) throw new SessionBusyError(session.id)
  const release = Runner.admit(session.id)
  let reply: Promise<MessageWithParts>
  try {
    const instance = await sessionInstance(requestInstance, session)
    const turn = await createUserMessage(instance, session, {
      messageID: input.messageID,
      agent: input.agent,
      model: input.model,
      parts: [{ type: "text", text: note.trim(), synthetic: true }],
    })
    Sessions.touch(session.id)
    watchInstance(instance)
    reply = Runner.enqueue(session, {
      run: (signal) => execute(instance, session, turn, input.command, signal),
      cancelled: () => cancelledReply({ instance, session, turn }),
    })
  } finally {
    release()
  }
  return reply
}

async function execute(instance: Instance, session: Session, turn: UserTurn, command: string, signal: AbortSignal): Promise<MessageWithParts> {
  const dir = session.directory
  const assistant = newAssistant(instance, turn.info, turn.agent.name)
  Message.updateMessage(dir, assistant)
  const start = Date.now()
  const input = { command }
  const part: ToolPart = {
    id: ascending("part"),
    sessionID: session.id,
    messageID: assistant.id,
    type: "tool",
    callID: ascending("tool"),
    tool: "bash",
    state: { status: "running", input, title: command, metadata: { output: "", description: command }, time: { start } },
  }
  Message.updatePart(dir, part)

  let pending: ReturnType<typeof setTimeout> | undefined
  let run: ShellRun | undefined
  let failure: string | undefined
  try {
    run = await runShell(command, {
      cwd: instance.directory,
      env: await shellEnv(instance, { cwd: instance.directory, sessionID: session.id, callID: part.callID }),
      timeoutMs: NO_TIMEOUT_MS,
      signal,
      onOutput(out) {
        pending ??= setTimeout(() => {
          pending = undefined
          if (part.state.status !== "running") return
          part.state.metadata = { output: out.render(), description: command }
          Message.updatePart(dir, part)
        }, PUSH_EVERY_MS)
      },
    })
  } catch (e) {
    failure = `Could not start the command: ${errorMessage(e)}`
  }
  clearTimeout(pending)

  const end = Date.now()
  if (run && !run.stopped) {
    const output = run.output.render()
    const metadata = { output, description: command, exit: run.exit, truncated: run.output.truncated }
    const footer = run.exit !== 0 ? `\n\n${run.exit === null ? `Killed by signal ${run.signal}` : `Exit code: ${run.exit}`}` : ""
    part.state = { status: "completed", input, output: output + footer, title: command, metadata, time: { start, end } }
  } else {
    const output = run?.output.render() ?? ""
    const why = failure ?? "The command was aborted and killed."
    const metadata = run ? { output, description: command, exit: run.exit, stopped: run.stopped } : undefined
    part.state = { status: "error", input, error: output ? `${why}\n\nOutput before it stopped:\n${output}` : why, ...(metadata ? { metadata } : {}), time: { start, end } }
    if (signal.aborted) assistant.error = { name: "MessageAbortedError", data: { message: abortText(signal, "Aborted") } }
    else assistant.error = { name: "UnknownError", data: { message: why } }
  }
  assistant.time.completed = end
  Store.batch(() => {
    Message.updatePart(dir, part)
    Message.updateMessage(dir, assistant)
  })
  Sessions.touch(session.id)
  return Store.getMessage(session.id, assistant.id) ?? { info: assistant, parts: [part] }
}
