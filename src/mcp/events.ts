import { t } from "../util/schema"
import { defineEvent } from "../bus/event"

export const McpToolsChanged = defineEvent("mcp.tools.changed", t.Object({ server: t.String() }))
/** Sent when a sign-in needs a browser: this server opens none itself, so clients show `url`. */
export const McpBrowserOpenFailed = defineEvent("mcp.browser.open.failed", t.Object({ mcpName: t.String(), url: t.String() }))
