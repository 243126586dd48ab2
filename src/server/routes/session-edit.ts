import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { deleteMessage, deletePart, updatePart } from "../../session/edit"
import { Part } from "../../session/schema"

const MessageParams = t.Object({ sessionID: t.String({ description: "Session ID" }), messageID: t.String({ description: "Message ID" }) })
const PartParams = t.Object({ ...MessageParams.properties, partID: t.String({ description: "Part ID" }) })
const BUSY = "409 SessionBusyError while the session is running."

export function sessionEditRoutes() {
  return new Elysia({ tags: ["session"] })
    .use(instanceScope)
    .delete("/session/:sessionID/message/:messageID", ({ params }) => deleteMessage(params.sessionID, params.messageID), {
      params: MessageParams,
      query: DirectoryQuery,
      response: { 200: t.Boolean() },
      detail: {
        operationId: "session.deleteMessage",
        summary: "Delete a message",
        description: `Deletes the message and its parts for good, without undoing the file changes it made (use revert for that). ${BUSY}`,
      },
    })
    .delete("/session/:sessionID/message/:messageID/part/:partID", ({ params }) => deletePart(params.sessionID, params.messageID, params.partID), {
      params: PartParams,
      query: DirectoryQuery,
      response: { 200: t.Boolean() },
      detail: { operationId: "part.delete", summary: "Delete a part", description: `Removes one part of a message. ${BUSY}` },
    })
    .patch("/session/:sessionID/message/:messageID/part/:partID", ({ params, body }) => updatePart(params.sessionID, params.messageID, params.partID, body), {
      params: PartParams,
      query: DirectoryQuery,
      body: Part,
      response: { 200: Part },
      detail: { operationId: "part.update", summary: "Update a part", description: `Replaces a part with the one sent, which keeps its ids and type. ${BUSY}` },
    })
}
