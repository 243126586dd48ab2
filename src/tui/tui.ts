import type { Static } from "../util/schema"
import { Bus } from "../bus"
import * as Sessions from "../session/session"
import { enqueueControl } from "./control"
import { TuiCommandExecute, TuiPromptAppend, TuiSessionSelect, TuiToastShow } from "./events"

// What the TUI routes do: tell attached TUIs over the event stream, and queue the same request
// for clients that poll /tui/control/next instead (IDE plugins, a TUI not attached yet).

/** Old keybind names clients still send to execute-command, mapped to the TUI's command ids. */
const LEGACY_COMMANDS: Record<string, string> = {
  session_new: "session.new",
  session_share: "session.share",
  session_interrupt: "session.interrupt",
  session_compact: "session.compact",
  messages_page_up: "session.page.up",
  messages_page_down: "session.page.down",
  messages_line_up: "session.line.up",
  messages_line_down: "session.line.down",
  messages_half_page_up: "session.half.page.up",
  messages_half_page_down: "session.half.page.down",
  messages_first: "session.first",
  messages_last: "session.last",
  agent_cycle: "agent.cycle",
}

/** Route -> the TUI command it triggers. */
export const ROUTE_COMMANDS = {
  "/tui/open-help": "help.show",
  "/tui/open-sessions": "session.list",
  "/tui/open-themes": "theme.switch",
  "/tui/open-models": "model.list",
  "/tui/submit-prompt": "prompt.submit",
  "/tui/clear-prompt": "prompt.clear",
} as const

export function appendPrompt(directory: string, text: string) {
  Bus.publish(directory, TuiPromptAppend, { text })
  enqueueControl(directory, { path: "/tui/append-prompt", body: { text } })
  return true
}

export function routeCommand(directory: string, route: keyof typeof ROUTE_COMMANDS) {
  Bus.publish(directory, TuiCommandExecute, { command: ROUTE_COMMANDS[route] })
  enqueueControl(directory, { path: route, body: {} })
  return true
}

export function executeCommand(directory: string, command: string) {
  const id = LEGACY_COMMANDS[command] ?? command
  Bus.publish(directory, TuiCommandExecute, { command: id })
  enqueueControl(directory, { path: "/tui/execute-command", body: { command: id } })
  return true
}

export function showToast(directory: string, toast: Static<typeof TuiToastShow.properties>) {
  Bus.publish(directory, TuiToastShow, toast)
  enqueueControl(directory, { path: "/tui/show-toast", body: toast })
  return true
}

/** 404 for a session that does not exist: the TUI would otherwise navigate to nothing. */
export function selectSession(directory: string, sessionID: string) {
  Sessions.get(sessionID)
  Bus.publish(directory, TuiSessionSelect, { sessionID })
  enqueueControl(directory, { path: "/tui/select-session", body: { sessionID } })
  return true
}

export type TuiEvent =
  | { type: "tui.prompt.append"; properties: { text: string } }
  | { type: "tui.command.execute"; properties: { command: string } }
  | { type: "tui.toast.show"; properties: Static<typeof TuiToastShow.properties> }
  | { type: "tui.session.select"; properties: { sessionID: string } }

/** POST /tui/publish: any of the tui.* events, already validated against its schema. */
export function publishEvent(directory: string, event: TuiEvent) {
  switch (event.type) {
    case "tui.prompt.append":
      return appendPrompt(directory, event.properties.text)
    case "tui.command.execute":
      return executeCommand(directory, event.properties.command)
    case "tui.toast.show":
      return showToast(directory, event.properties)
    case "tui.session.select":
      return selectSession(directory, event.properties.sessionID)
  }
}
