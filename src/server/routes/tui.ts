import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import * as Tui from "../../tui/tui"
import { nextControl, respondControl } from "../../tui/control"
import { TuiCommandExecute, TuiPromptAppend, TuiSessionSelect, TuiToastShow } from "../../tui/events"

const ok = { 200: t.Boolean() }
const ControlRequest = t.Object({ path: t.String(), body: t.Unknown() })

export function tuiRoutes() {
  const app = new Elysia({ tags: ["tui"] })
    .use(instanceScope)
    .post("/tui/append-prompt", ({ instance, body }) => Tui.appendPrompt(instance.directory, body.text), {
      query: DirectoryQuery,
      body: TuiPromptAppend.properties,
      response: ok,
      detail: { operationId: "tui.appendPrompt", summary: "Append TUI prompt", description: "Publishes tui.prompt.append." },
    })
  const commands: Array<[keyof typeof Tui.ROUTE_COMMANDS, string, string]> = [
    ["/tui/open-help", "tui.openHelp", "Open the help dialog"],
    ["/tui/open-sessions", "tui.openSessions", "Open the session list"],
    ["/tui/open-themes", "tui.openThemes", "Open the theme list"],
    ["/tui/open-models", "tui.openModels", "Open the model list"],
    ["/tui/submit-prompt", "tui.submitPrompt", "Submit the TUI prompt"],
    ["/tui/clear-prompt", "tui.clearPrompt", "Clear the TUI prompt"],
  ]
  for (const [route, operationId, summary] of commands) {
    app.post(route, ({ instance }) => Tui.routeCommand(instance.directory, route), {
      query: DirectoryQuery,
      response: ok,
      detail: { operationId, summary, description: `Publishes tui.command.execute with "${Tui.ROUTE_COMMANDS[route]}".` },
    })
  }
  return app
    .post("/tui/execute-command", ({ instance, body }) => Tui.executeCommand(instance.directory, body.command), {
      query: DirectoryQuery,
      body: t.Object({ command: t.String({ minLength: 1 }) }),
      response: ok,
      detail: {
        operationId: "tui.executeCommand",
        summary: "Execute TUI command",
        description: "Publishes tui.command.execute. Old keybind names (session_new, messages_page_up, agent_cycle...) are mapped to the TUI's command ids; others pass through.",
      },
    })
    .post("/tui/show-toast", ({ instance, body }) => Tui.showToast(instance.directory, body), {
      query: DirectoryQuery,
      body: TuiToastShow.properties,
      response: ok,
      detail: { operationId: "tui.showToast", summary: "Show TUI toast", description: "Publishes tui.toast.show." },
    })
    .post("/tui/publish", ({ instance, body }) => Tui.publishEvent(instance.directory, body as Tui.TuiEvent), {
      query: DirectoryQuery,
      body: t.Union([TuiPromptAppend.schema, TuiCommandExecute.schema, TuiToastShow.schema, TuiSessionSelect.schema]),
      response: ok,
      detail: { operationId: "tui.publish", summary: "Publish TUI event", description: "Publishes one of the tui.* events." },
    })
    .post("/tui/select-session", ({ instance, body }) => Tui.selectSession(instance.directory, body.sessionID), {
      query: DirectoryQuery,
      body: TuiSessionSelect.properties,
      response: ok,
      detail: { operationId: "tui.selectSession", summary: "Select session", description: "Publishes tui.session.select; 404 for an unknown session." },
    })
    .get("/tui/control/next", ({ instance, request }) => nextControl(instance.directory, request.signal), {
      query: DirectoryQuery,
      response: { 200: ControlRequest },
      detail: {
        operationId: "tui.control.next",
        summary: "Get next TUI request",
        description:
          "Long-polls the oldest queued TUI control request ({path, body}): every /tui/* call above is queued per directory until a client takes it, so a client attaching late misses nothing.",
      },
    })
    .post("/tui/control/response", ({ instance, body }) => (respondControl(instance.directory, body), true), {
      query: DirectoryQuery,
      body: t.Unknown(),
      response: ok,
      detail: {
        operationId: "tui.control.response",
        summary: "Submit TUI response",
        description: "Answers the oldest request handed out by /tui/control/next; 400 when none is waiting for an answer.",
      },
    })
}
