import { t } from "elysia"
import { defineEvent } from "../bus/event"

export const McpToolsChanged = defineEvent("mcp.tools.changed", t.Object({ server: t.String() }))
