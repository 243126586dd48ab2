import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery, scopedQuery } from "../directory"
import { sessionDiff } from "../../session/diff"
import { revert, unrevert } from "../../session/revert"
import { FileDiff, Session } from "../../session/schema"

const Params = t.Object({ sessionID: t.String({ description: "Session ID" }) })
const ErrorBody = t.Object({ name: t.String(), data: t.Object({ message: t.String() }, { additionalProperties: true }) })
const Reverting = { 200: Session, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody }

export function sessionRevertRoutes() {
  return new Elysia({ tags: ["session"] })
    .use(instanceScope)
    .get("/session/:sessionID/diff", ({ instance, params, query }) => sessionDiff(instance, params.sessionID, query.messageID), {
      params: Params,
      query: scopedQuery({ messageID: t.Optional(t.String({ description: "Only this message's changes (a user message: those of the replies to it)" })) }),
      response: { 200: t.Array(FileDiff), 400: ErrorBody, 404: ErrorBody },
      detail: {
        operationId: "session.diff",
        summary: "Get session diff",
        description:
          "Files the session's tool calls changed, each with its content before and after and line counts. Changes undone by a revert are left out. With `messageID`, only that message's changes.",
      },
    })
    .post("/session/:sessionID/revert", ({ instance, params, body }) => revert(instance, params.sessionID, body), {
      params: Params,
      query: DirectoryQuery,
      body: t.Object({ messageID: t.String(), partID: t.Optional(t.String()) }),
      response: Reverting,
      detail: {
        operationId: "session.revert",
        summary: "Revert message",
        description:
          "Restores the files changed from this message (or part) on to their earlier state and sets the session's `revert`. The later messages stay listed until the next prompt, which discards them for good; unrevert brings everything back. 409 while the session is busy.",
      },
    })
    .post("/session/:sessionID/unrevert", ({ instance, params }) => unrevert(instance, params.sessionID), {
      params: Params,
      query: DirectoryQuery,
      response: Reverting,
      detail: {
        operationId: "session.unrevert",
        summary: "Restore reverted messages",
        description: "Undoes the session's revert: the files come back exactly as they were before it and `revert` is cleared. 409 while the session is busy.",
      },
    })
}
