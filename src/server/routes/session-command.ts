import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { runCommand } from "../../session/command"
import { shell } from "../../session/shell"
import { initProject } from "../../session/init"
import { summarize } from "../../session/compaction"
import { AssistantMessage, FilePartInput, MessageWithParts, ModelRef } from "../../session/schema"

const Params = t.Object({ sessionID: t.String({ description: "Session ID" }) })
const ErrorBody = t.Object({ name: t.String(), data: t.Object({ message: t.String() }, { additionalProperties: true }) })
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } })
// The v1 SDK types the shell answer as the AssistantMessage; opencode 1.18 as {info, parts}.
const bothShapes = (m: MessageWithParts) => ({ ...m.info, info: m.info, parts: m.parts })

export function sessionCommandRoutes() {
  return new Elysia({ tags: ["session"] })
    .use(instanceScope)
    .post("/session/:sessionID/command", async ({ instance, params, body }) => json(await runCommand(instance, params.sessionID, body)), {
      params: Params,
      query: DirectoryQuery,
      body: t.Object(
        {
          messageID: t.Optional(t.String({ description: "Id for the user message (must be new)" })),
          agent: t.Optional(t.String({ description: "Agent to use when the command names none" })),
          model: t.Optional(t.String({ description: '"provider/model", used when the command (and its agent) name none' })),
          command: t.String({ description: "Command name, as listed by GET /command" }),
          arguments: t.String({ description: "Argument string: $ARGUMENTS in the template, split into $1, $2... (quotes group words)" }),
          parts: t.Optional(t.Array(FilePartInput, { description: "Files to attach besides the template's @file references" })),
        },
        { additionalProperties: true },
      ),
      response: { 200: MessageWithParts, 400: ErrorBody, 404: ErrorBody },
      detail: {
        operationId: "session.command",
        summary: "Send command",
        description:
          "Expands the command's template ($ARGUMENTS, $1..., !`cmd` replaced by its output, @file attached) and sends it as a prompt with the command's agent and model; a subtask command runs as a subagent. Answers with the reply like POST /message, then publishes command.executed. Unknown command: 404.",
      },
    })
    .post("/session/:sessionID/shell", async ({ instance, params, body }) => json(bothShapes(await shell(instance, params.sessionID, body))), {
      params: Params,
      query: DirectoryQuery,
      body: t.Object(
        {
          messageID: t.Optional(t.String()),
          agent: t.String({ description: "Agent the exchange is recorded under" }),
          model: t.Optional(ModelRef),
          command: t.String({ minLength: 1, description: "Shell command, run in the project directory" }),
        },
        { additionalProperties: true },
      ),
      response: { 200: t.Intersect([AssistantMessage, MessageWithParts]), 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      detail: {
        operationId: "session.shell",
        summary: "Run shell command",
        description:
          "Runs the command in the user's shell (as the bash tool does) and records it: a user message, then an assistant message with a bash tool part (output, exit code in metadata) that the model sees in later turns. No time limit: POST /abort kills it. 409 SessionBusyError while the session runs something else. The answer is the assistant message itself (what the v1 SDK reads) with `info` and `parts` beside its fields (what opencode 1.18 clients read).",
      },
    })
    .post("/session/:sessionID/init", ({ instance, params, body }) => initProject(instance, params.sessionID, body), {
      params: Params,
      query: DirectoryQuery,
      body: t.Object({ messageID: t.String(), providerID: t.String(), modelID: t.String() }, { additionalProperties: true }),
      response: { 200: t.Boolean(), 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody },
      detail: {
        operationId: "session.init",
        summary: "Initialize session",
        description: "Runs the built-in init command: the agent studies the project and writes AGENTS.md. True once done; the project is then marked initialized. When the agent's reply fails: its error (502; 409 when aborted).",
      },
    })
    .post("/session/:sessionID/summarize", ({ instance, params, body }) => summarize(instance, params.sessionID, body), {
      params: Params,
      query: DirectoryQuery,
      body: t.Object({ providerID: t.String(), modelID: t.String(), auto: t.Optional(t.Boolean()) }, { additionalProperties: true }),
      response: { 200: t.Boolean(), 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody },
      detail: {
        operationId: "session.summarize",
        summary: "Summarize session",
        description:
          "Compacts the history: the model writes a summary (an assistant message with summary: true answering a user message with a compaction part), and from then on it receives the summary instead of the turns before it. Queued like a prompt when the session is busy. Publishes session.compacted. When the model's summary fails: its error (502; 409 when aborted), and the history stays as it was.",
      },
    })
}
