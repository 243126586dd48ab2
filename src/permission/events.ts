import { t } from "../util/schema"
import { defineEvent } from "../bus/event"
import { Permission, PermissionRequestInfo, PermissionResponse } from "./schema"

/** v1 clients (the SDK's EventPermissionUpdated) prompt from this. */
export const PermissionUpdated = defineEvent("permission.updated", Permission)

/** opencode 1.18's CLI and TUI prompt from this one instead; both are published. */
export const PermissionAsked = defineEvent("permission.asked", PermissionRequestInfo)

// One event type serves both generations of clients: v1 reads permissionID/response,
// 1.18 reads requestID/reply. Same values, both names.
export const PermissionReplied = defineEvent(
  "permission.replied",
  t.Object({
    sessionID: t.String(),
    permissionID: t.String(),
    response: t.String(),
    requestID: t.String(),
    reply: PermissionResponse,
  }),
)
