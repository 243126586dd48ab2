import { t } from "../util/schema"
import { defineEvent } from "../bus/event"

export const TuiPromptAppend = defineEvent("tui.prompt.append", t.Object({ text: t.String() }))

/** Commands the opencode TUI understands; any other string is passed through for newer TUIs. */
export const TUI_COMMANDS = [
  "session.list",
  "session.new",
  "session.share",
  "session.interrupt",
  "session.compact",
  "session.page.up",
  "session.page.down",
  "session.line.up",
  "session.line.down",
  "session.half.page.up",
  "session.half.page.down",
  "session.first",
  "session.last",
  "prompt.clear",
  "prompt.submit",
  "agent.cycle",
] as const

export const TuiCommandExecute = defineEvent(
  "tui.command.execute",
  t.Object({ command: t.Union([t.Union(TUI_COMMANDS.map((c) => t.Literal(c))), t.String()]) }),
)

export const ToastVariant = t.Union([t.Literal("info"), t.Literal("success"), t.Literal("warning"), t.Literal("error")])

export const TuiToastShow = defineEvent(
  "tui.toast.show",
  t.Object({
    title: t.Optional(t.String()),
    message: t.String(),
    variant: ToastVariant,
    duration: t.Optional(t.Integer({ minimum: 1, description: "Duration in milliseconds" })),
  }),
)

export const TuiSessionSelect = defineEvent(
  "tui.session.select",
  t.Object({ sessionID: t.String({ pattern: "^ses", description: "Session ID to navigate to" }) }),
)
