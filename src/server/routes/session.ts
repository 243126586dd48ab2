import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery, scopedQuery } from "../directory"
import * as Sessions from "../../session/session"
import * as Status from "../../session/status"
import { remove } from "../../session/remove"
import { fork } from "../../session/fork"
import { abort } from "../../session/prompt/prompt"
import { getTodos } from "../../session/todo"
import { Session, SessionStatus, Todo } from "../../session/schema"
import { PermissionRule } from "../../permission/session-rules"

const Params = t.Object({ sessionID: t.String({ description: "Session ID" }) })

export function sessionRoutes() {
  return new Elysia({ tags: ["session"] })
    .use(instanceScope)
    .get("/session", ({ instance, query }) => Sessions.list(instance, query), {
      query: scopedQuery({
        scope: t.Optional(t.Literal("project", { description: "List every directory's sessions of the project (outside git, sessions are otherwise per directory)" })),
        path: t.Optional(t.String({ description: 'Only sessions in this worktree-relative directory or below; "" = the whole worktree' })),
        roots: t.Optional(t.Boolean({ description: "Only top-level sessions (no subagent children)" })),
        start: t.Optional(t.Number({ description: "Only sessions updated at or after this time (ms since epoch)" })),
        search: t.Optional(t.String({ description: "Case-insensitive title substring" })),
        limit: t.Optional(t.Integer({ description: "At most this many sessions (0 or more)" })),
      }),
      response: { 200: t.Array(Session) },
      detail: { operationId: "session.list", summary: "List sessions", description: "Sessions of the current project, most recently updated first." },
    })
    .post("/session", ({ instance, body }) => Sessions.create(instance, { parentID: body?.parentID, title: body?.title, permission: body?.permission, agent: body?.agent, model: body?.model, metadata: body?.metadata }), {
      query: DirectoryQuery,
      // Newer clients send more: `permission`, `agent`, `model`, `metadata` (opencode 1.18) are kept; other fields are ignored.
      body: t.Optional(
        t.Object(
          {
            parentID: t.Optional(t.String({ description: "Makes the new session a child of this one" })),
            title: t.Optional(t.String()),
            agent: t.Optional(t.String()),
            model: t.Optional(t.Object({ id: t.String(), providerID: t.String(), variant: t.Optional(t.String()) })),
            metadata: t.Optional(t.Record(t.String(), t.Unknown())),
            permission: t.Optional(
              t.Array(PermissionRule, {
                description: "Permission rules for this session (and its child sessions), applied after config and agent rules; the last matching rule decides",
              }),
            ),
          },
          { additionalProperties: true },
        ),
      ),
      response: { 200: Session },
      detail: { operationId: "session.create", summary: "Create session", description: "Creates an empty session in the request's directory. Without a title it is named after its first prompt." },
    })
    .get("/session/status", ({ instance }) => Status.list({ projectID: instance.project.id, directory: instance.directory }), {
      query: DirectoryQuery,
      response: { 200: t.Record(t.String(), SessionStatus) },
      detail: { operationId: "session.status", summary: "Get session status", description: "Busy or retrying sessions of the current project, by id; idle sessions are absent." },
    })
    .get("/session/:sessionID", ({ params }) => Sessions.get(params.sessionID), {
      params: Params,
      query: DirectoryQuery,
      response: { 200: Session },
      detail: { operationId: "session.get", summary: "Get session" },
    })
    .patch("/session/:sessionID", ({ params, body }) => Sessions.update(params.sessionID, body), {
      params: Params,
      query: DirectoryQuery,
      body: t.Object(
        {
          title: t.Optional(t.String({ minLength: 1 })),
          metadata: t.Optional(t.Record(t.String(), t.Unknown())),
          permission: t.Optional(t.Array(PermissionRule, { description: "Replaces the session's own permission rules ([] removes them)" })),
          time: t.Optional(t.Object({ archived: t.Optional(t.Nullable(t.Number({ description: "Archive time (ms); null unarchives" }))) })),
        },
        { additionalProperties: true },
      ),
      response: { 200: Session },
      detail: { operationId: "session.update", summary: "Update session", description: "Renames, archives (`time.archived`), or sets the metadata or permission rules of the session." },
    })
    .delete("/session/:sessionID", ({ params }) => remove(params.sessionID), {
      params: Params,
      query: DirectoryQuery,
      response: { 200: t.Boolean() },
      detail: {
        operationId: "session.delete",
        summary: "Delete session",
        description: "Stops the session if it is running, then deletes it with its messages, parts, todos and child sessions (recursively).",
      },
    })
    .get("/session/:sessionID/children", ({ params }) => Sessions.children(params.sessionID), {
      params: Params,
      query: DirectoryQuery,
      response: { 200: t.Array(Session) },
      detail: { operationId: "session.children", summary: "Get a session's children" },
    })
    .get("/session/:sessionID/todo", ({ params }) => (Sessions.get(params.sessionID), getTodos(params.sessionID)), {
      params: Params,
      query: DirectoryQuery,
      response: { 200: t.Array(Todo) },
      detail: { operationId: "session.todo", summary: "Get the session's todo list" },
    })
    .post("/session/:sessionID/fork", ({ instance, params, body }) => fork(instance, params.sessionID, body?.messageID), {
      params: Params,
      query: DirectoryQuery,
      body: t.Optional(t.Object({ messageID: t.Optional(t.String()) }, { additionalProperties: true })),
      response: { 200: Session },
      detail: {
        operationId: "session.fork",
        summary: "Fork session",
        description: "Creates a new session with a copy of this one's history before `messageID` (the whole history when omitted). The source is unchanged.",
      },
    })
    .post("/session/:sessionID/abort", ({ params }) => abort(params.sessionID), {
      params: Params,
      query: DirectoryQuery,
      response: { 200: t.Boolean() },
      detail: {
        operationId: "session.abort",
        summary: "Abort session",
        description:
          "Stops the running reply within a second (model stream and running tool processes); its message is closed with MessageAbortedError and the session goes idle. Prompts queued behind it are cancelled too (their user messages stay). False when the session was not running.",
      },
    })
}
