import { t } from "../util/schema"
import { defineEvent } from "../bus/event"
import { Pty } from "./schema"

export const PtyCreated = defineEvent("pty.created", t.Object({ info: Pty }))
export const PtyUpdated = defineEvent("pty.updated", t.Object({ info: Pty }))
/** `exitCode` is 128 + the signal number when a signal ended the process. */
export const PtyExited = defineEvent("pty.exited", t.Object({ id: t.String({ pattern: "^pty" }), exitCode: t.Integer({ minimum: 0 }) }))
export const PtyDeleted = defineEvent("pty.deleted", t.Object({ id: t.String({ pattern: "^pty" }) }))
