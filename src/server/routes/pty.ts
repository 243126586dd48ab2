import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery, scopedQuery } from "../directory"
import * as Pty from "../../pty/pty"
import { connect } from "../../pty/socket"
import { listShells } from "../../pty/shells"
import { Pty as PtyInfo, PtyConnectToken, PtyCreateInput, PtyShell, PtyUpdateInput } from "../../pty/schema"
import { BadRequestError, ForbiddenError } from "../../util/error"
import { originalRequest } from "../base-path"

const Params = t.Object({ ptyID: t.String({ pattern: "^pty", description: "PTY session ID" }) })

// Browsers cannot send this header cross-origin without a CORS preflight, which only the
// allowed origins pass: a page elsewhere cannot mint tickets with the user's credentials.
// (Upgrades and POSTs from an untrusted Origin never get here: see site-guard.ts.)
const TICKET_HEADER = "x-opencode-ticket"

export function ptyRoutes() {
  return new Elysia({ tags: ["pty"] })
    .use(instanceScope)
    .get("/pty/shells", () => listShells(), {
      query: DirectoryQuery,
      response: { 200: t.Array(PtyShell) },
      detail: { operationId: "pty.shells", summary: "List available shells", description: "Shells installed on this machine; `acceptable` ones take POSIX syntax." },
    })
    .get("/pty", ({ instance }) => Pty.list(instance), {
      query: DirectoryQuery,
      response: { 200: t.Array(PtyInfo) },
      detail: { operationId: "pty.list", summary: "List PTY sessions", description: "Running terminals of the request's directory." },
    })
    .post("/pty", ({ instance, body }) => Pty.create(instance, body ?? {}), {
      query: DirectoryQuery,
      body: t.Optional(PtyCreateInput),
      response: { 200: PtyInfo },
      detail: {
        operationId: "pty.create",
        summary: "Create PTY session",
        description:
          "Starts a program on a pseudo-terminal (80x24; resize with PUT). 400 if it cannot be started, 403 for a cwd outside the project.",
      },
    })
    .get("/pty/:ptyID", ({ instance, params }) => Pty.get(instance, params.ptyID), {
      params: Params,
      query: DirectoryQuery,
      response: { 200: PtyInfo },
      detail: { operationId: "pty.get", summary: "Get PTY session" },
    })
    .put("/pty/:ptyID", ({ instance, params, body }) => Pty.update(instance, params.ptyID, body), {
      params: Params,
      query: DirectoryQuery,
      body: PtyUpdateInput,
      response: { 200: PtyInfo },
      detail: { operationId: "pty.update", summary: "Update PTY session", description: "Renames the terminal and/or resizes it (rows, cols)." },
    })
    .delete("/pty/:ptyID", ({ instance, params }) => Pty.remove(instance, params.ptyID), {
      params: Params,
      query: DirectoryQuery,
      response: { 200: t.Boolean() },
      detail: {
        operationId: "pty.remove",
        summary: "Remove PTY session",
        description: "Hangs up the terminal, kills its process group if it lingers, and answers once the process is gone.",
      },
    })
    .post(
      "/pty/:ptyID/connect-token",
      ({ instance, params, request }) => {
        if (request.headers.get(TICKET_HEADER) !== "1") throw new ForbiddenError(`A connect ticket needs the '${TICKET_HEADER}: 1' header`)
        return Pty.connectToken(instance, params.ptyID)
      },
      {
        params: Params,
        query: DirectoryQuery,
        response: { 200: PtyConnectToken },
        detail: {
          operationId: "pty.connectToken",
          summary: "Create PTY WebSocket token",
          description: `A single-use ticket, valid for a minute, to open this terminal's WebSocket as ?ticket= without credentials (which browsers cannot attach to a WebSocket). Requires the '${TICKET_HEADER}: 1' header.`,
        },
      },
    )
    .get(
      "/pty/:ptyID/connect",
      ({ instance, params, query, request, server }) => {
        const handlers = connect(instance, params.ptyID, { cursor: query.cursor, ticket: query.ticket })
        // The dispatcher in server/websocket.ts calls these handlers through ws.data.
        if (!server?.upgrade(originalRequest(request), { data: handlers })) throw new BadRequestError("Expected a WebSocket upgrade request", "Headers")
      },
      {
        params: Params,
        query: scopedQuery({
          cursor: t.Optional(t.Integer({ minimum: -1, description: "Replay output from this position (from the cursor frame); -1 = none, default = all held" })),
          ticket: t.Optional(t.String({ description: "From pty.connectToken: stands in for credentials" })),
        }),
        // No response schema: after an upgrade the handler returns nothing (Bun owns the socket).
        detail: {
          operationId: "pty.connect",
          summary: "Connect to PTY session",
          description:
            "WebSocket. Text frames out are terminal output: the held output since `cursor`, then one binary frame 0x00 + JSON {cursor} marking where that replay ends, then live output. Frames in (text or binary) are terminal input. Closes with 1000 when the process exits.",
          responses: { 200: { description: "Connected session", content: { "application/json": { schema: { type: "boolean" } } } } },
        },
      },
    )
}
