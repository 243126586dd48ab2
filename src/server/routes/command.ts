import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { listCommands } from "../../command"
import { Command } from "../../command/schema"

export function commandRoutes() {
  return new Elysia({ tags: ["instance"] })
    .use(instanceScope)
    .get("/command", ({ instance }) => listCommands(instance), {
      query: DirectoryQuery,
      response: { 200: t.Array(Command) },
      detail: {
        operationId: "command.list",
        summary: "List commands",
        description: "The built-in init command, then config `command` entries and .opencode/command/*.md files.",
      },
    })
}
