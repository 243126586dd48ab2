import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { share, unshare } from "../../share/share"
import { sharePage, shareData, SHARE_HEADERS } from "../../share/page"
import { requestOrigin } from "../../share/origin"
import { MessageWithParts, Session } from "../../session/schema"
import { publicPrefix } from "../base-path"

const SessionParams = t.Object({ sessionID: t.String({ description: "Session ID" }) })
const TokenParams = t.Object({ token: t.String({ description: "The secret token from the session's share URL" }) })
const SharedConversation = t.Object({ session: Session, messages: t.Array(MessageWithParts) })

// Readable without API credentials (see isPublicSharePath in the auth guard): the token is the credential.
const PUBLIC = { security: [] as Record<string, string[]>[], tags: ["share"] }

function respond(status: number, body: string, type: string) {
  return new Response(body, { status, headers: { "content-type": type, ...SHARE_HEADERS } })
}

export function shareRoutes() {
  return (
    new Elysia({ tags: ["session"] })
      // The public pages come before instanceScope: a visitor's request never opens a project.
      .get(
        "/share/:token",
        async ({ params }) => {
          const page = await sharePage(params.token)
          return respond(page.status, page.html, "text/html; charset=utf-8")
        },
        {
          params: TokenParams,
          detail: {
            ...PUBLIC,
            operationId: "share.page",
            summary: "Shared session page",
            description:
              "A read-only, self-contained HTML page of a shared session: its messages, reasoning (collapsed), tool calls with input and output, and the files it changed. Needs no API credentials; an unknown or revoked token is a 404 page.",
            responses: {
              200: { description: "The conversation", content: { "text/html": { schema: { type: "string" } } } },
              404: { description: "Not shared (any more)", content: { "text/html": { schema: { type: "string" } } } },
            },
          },
        },
      )
      .get(
        "/share/:token/data",
        ({ params }) => {
          const view = shareData(params.token)
          return respond(view ? 200 : 404, JSON.stringify(view ?? { name: "NotFoundError", data: { message: "Shared session not found" } }), "application/json")
        },
        {
          params: TokenParams,
          response: { 200: SharedConversation },
          detail: {
            ...PUBLIC,
            operationId: "share.data",
            summary: "Shared session data",
            description: "The shared session and its messages with parts, as JSON. Needs no API credentials; 404 for an unknown or revoked token.",
          },
        },
      )
      .use(instanceScope)
      .post("/session/:sessionID/share", ({ params, request }) => share(params.sessionID, requestOrigin(request) + publicPrefix(request)), {
        params: SessionParams,
        query: DirectoryQuery,
        response: { 200: Session },
        detail: {
          operationId: "session.share",
          summary: "Share session",
          description:
            "Publishes a read-only page of the session on this server and sets `share.url` to it (`<origin>[<base path>]/share/<secret token>`, the origin and sub-path being the ones the client used). Sharing again keeps the link. 404 for an unknown session.",
        },
      })
      .delete("/session/:sessionID/share", ({ params }) => unshare(params.sessionID), {
        params: SessionParams,
        query: DirectoryQuery,
        response: { 200: Session },
        detail: { operationId: "session.unshare", summary: "Unshare session", description: "Removes the share link: its page answers 404 from now on. 404 for an unknown session." },
      })
  )
}
