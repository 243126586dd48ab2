// Importing each events module registers its definitions before the spec is built.
import { t } from "elysia"
import { defineEvent } from "../bus/event"
import "../project/events"

export const ServerConnected = defineEvent("server.connected", t.Object({}, { additionalProperties: true }))
export const ServerHeartbeat = defineEvent("server.heartbeat", t.Object({}, { additionalProperties: true }))
/**
 * Sent to one client, right after `server.connected`, when its Last-Event-ID cannot be resumed
 * from: the events since are gone, so it must reload what it shows; every new event follows.
 */
export const ServerResync = defineEvent(
  "server.resync",
  t.Object({
    reason: t.Union([t.Literal("restarted"), t.Literal("expired"), t.Literal("invalid")], {
      description: "restarted: the id is from another server process (a restart or crash); expired: older than the replay buffer; invalid: not an event id",
    }),
    lastEventID: t.String({ description: "The Last-Event-ID the client sent (at most 200 characters of it)" }),
  }),
)
import "../session/events"
import "../lsp/events"
import "../mcp/events"
import "../permission/events"
import "../file/events"
import "../tui/events"
import "../pty/events"
import "../v2/events"
