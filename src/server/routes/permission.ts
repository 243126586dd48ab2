import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import * as Permissions from "../../permission/permission"
import { PermissionRequestInfo, PermissionResponse, toRequestInfo } from "../../permission/schema"

const Answered = { 200: t.Boolean({ description: "Permission processed successfully" }) }

export function permissionRoutes() {
  return new Elysia({ tags: ["permission"] })
    .use(instanceScope)
    .post(
      "/session/:sessionID/permissions/:permissionID",
      ({ params, body }) => Permissions.respond({ sessionID: params.sessionID, permissionID: params.permissionID, response: body.response }),
      {
        params: t.Object({ sessionID: t.String(), permissionID: t.String() }),
        query: DirectoryQuery,
        body: t.Object({ response: PermissionResponse }),
        response: Answered,
        detail: {
          operationId: "permission.respond",
          summary: "Respond to permission",
          description:
            "Answers a pending permission request: `once` lets this call through, `always` also lets through every later request of the same type and pattern in this session, `reject` fails the tool call with an error the model reads. 404 when the request is unknown or no longer pending.",
        },
      },
    )
    .get("/permission", ({ instance }) => Permissions.list(instance.directory).map(toRequestInfo), {
      query: DirectoryQuery,
      response: { 200: t.Array(PermissionRequestInfo) },
      detail: { operationId: "permission.list", summary: "List pending permissions", description: "Pending permission requests of this directory's sessions, oldest first." },
    })
    .post(
      "/permission/:requestID/reply",
      ({ params, body }) => Permissions.respond({ permissionID: params.requestID, response: body.reply, message: body.message }),
      {
        params: t.Object({ requestID: t.String() }),
        query: DirectoryQuery,
        body: t.Object({ reply: PermissionResponse, message: t.Optional(t.String({ description: "Shown to the model with a rejection" })) }),
        response: Answered,
        detail: { operationId: "permission.reply", summary: "Respond to permission request", description: "The same as permission.respond, addressed by request id alone (opencode 1.18 clients)." },
      },
    )
}
