import { t } from "../util/schema"
import { defineEvent } from "../bus/event"

export const LspClientDiagnostics = defineEvent("lsp.client.diagnostics", t.Object({ serverID: t.String(), path: t.String() }))
export const LspUpdated = defineEvent("lsp.updated", t.Object({}, { additionalProperties: true }))
