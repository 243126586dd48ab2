// Importing each events module registers its definitions before the spec is built.
import { t } from "elysia"
import { defineEvent } from "../bus/event"
import "../project/events"

export const ServerConnected = defineEvent("server.connected", t.Object({}, { additionalProperties: true }))
export const ServerHeartbeat = defineEvent("server.heartbeat", t.Object({}, { additionalProperties: true }))
import "../session/events"
import "../lsp/events"
import "../mcp/events"
import "../permission/events"
import "../file/events"
import "../tui/events"
import "../pty/events"
import "../v2/events"
