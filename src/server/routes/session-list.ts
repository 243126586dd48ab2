import { Elysia, t } from "elysia"
import { globalSessions, sessionPage, InvalidCursorError } from "../../session/list-all"
import { Session } from "../../session/schema"
import { ModelRef } from "../../v2/schema"

const ProjectSummary = t.Object({ id: t.String(), name: t.Optional(t.String()), worktree: t.String() }, { $id: "ProjectSummary" })
const GlobalSession = t.Object({ ...Session.properties, project: t.Nullable(ProjectSummary) }, { $id: "GlobalSession" })
const Tokens = t.Object({ input: t.Number(), output: t.Number(), reasoning: t.Number(), cache: t.Object({ read: t.Number(), write: t.Number() }) })
const SessionV2Info = t.Object(
  {
    id: t.String(),
    parentID: t.Optional(t.String()),
    projectID: t.String(),
    agent: t.Optional(t.String()),
    model: t.Optional(ModelRef),
    cost: t.Number(),
    tokens: Tokens,
    time: t.Object({ created: t.Number(), updated: t.Number(), archived: t.Optional(t.Number()) }),
    title: t.String(),
    location: t.Object({ directory: t.String(), workspaceID: t.Optional(t.String()) }),
    subpath: t.Optional(t.String()),
    revert: t.Optional(t.Object({ messageID: t.String(), partID: t.Optional(t.String()), snapshot: t.Optional(t.String()), diff: t.Optional(t.String()) })),
  },
  { $id: "SessionV2Info" },
)
const SessionsResponse = t.Object(
  { data: t.Array(SessionV2Info), cursor: t.Object({ previous: t.Optional(t.String()), next: t.Optional(t.String()) }) },
  { $id: "SessionsResponse" },
)
const InvalidCursor = t.Object({ _tag: t.Literal("InvalidCursorError"), message: t.String() }, { $id: "InvalidCursorError" })
const bool = t.Union([t.Boolean(), t.Literal("true"), t.Literal("false")])
const truthy = (v: boolean | "true" | "false" | undefined) => v === true || v === "true"

// Both lists span every project: they are what the web and desktop apps show on their home page.
export function sessionListRoutes() {
  return new Elysia({ tags: ["session"] })
    .get(
      "/experimental/session",
      ({ query }) => globalSessions({ roots: truthy(query.roots), start: query.start, cursor: query.cursor, search: query.search, limit: query.limit, archived: truthy(query.archived) }),
      {
        query: t.Object({
          directory: t.Optional(t.String({ description: "Ignored: the list spans every project" })),
          roots: t.Optional(bool),
          start: t.Optional(t.Number({ description: "Only sessions updated at or after this time (ms)" })),
          cursor: t.Optional(t.Number({ description: "Only sessions updated before this time (ms): the last item's time.updated pages on" })),
          search: t.Optional(t.String({ description: "Case-insensitive title substring" })),
          limit: t.Optional(t.Integer({ minimum: 0 })),
          archived: t.Optional(bool),
        }),
        response: { 200: t.Array(GlobalSession) },
        detail: {
          operationId: "experimental.session.list",
          summary: "List sessions of every project",
          description: "Every session of every project with its project, most recently updated first. Archived sessions only with `archived=true`.",
        },
      },
    )
    .get(
      "/api/session",
      ({ query, status }) => {
        // No workspaces exist here, so a workspace filter matches nothing.
        if (query.workspace) return { data: [], cursor: {} }
        try {
          return sessionPage(query)
        } catch (e) {
          if (e instanceof InvalidCursorError) return status(400, { _tag: "InvalidCursorError" as const, message: e.message })
          throw e
        }
      },
      {
        query: t.Object({
          workspace: t.Optional(t.String()),
          limit: t.Optional(t.Integer({ minimum: 0, description: "Page size (default 100)" })),
          order: t.Optional(t.Union([t.Literal("asc"), t.Literal("desc")], { description: "Creation order (default desc: newest first)" })),
          search: t.Optional(t.String()),
          directory: t.Optional(t.String({ description: "Only sessions in exactly this directory" })),
          project: t.Optional(t.String({ description: "Only sessions of this project id" })),
          subpath: t.Optional(t.String({ description: "Only sessions in this path (relative to `directory` or the project's worktree) or below" })),
          cursor: t.Optional(t.String({ description: "cursor.next or cursor.previous of a previous answer" })),
        }),
        response: { 200: SessionsResponse, 400: InvalidCursor },
        detail: {
          operationId: "v2.session.list",
          summary: "List sessions",
          description: "Sessions of every project in creation order, a page at a time: follow cursor.next or cursor.previous.",
        },
      },
    )
}
