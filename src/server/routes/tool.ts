import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery, scopedQuery } from "../directory"
import { toolIds, toolList } from "../../agent/tools"

const ToolIDs = t.Array(t.String(), { $id: "ToolIDs" })
const ToolListItem = t.Object({ id: t.String(), description: t.String(), parameters: t.Unknown() }, { $id: "ToolListItem" })
const ToolList = t.Array(ToolListItem, { $id: "ToolList" })

export function toolRoutes() {
  return new Elysia({ tags: ["experimental"] })
    .use(instanceScope)
    .get("/experimental/tool/ids", ({ instance }) => toolIds(instance), {
      query: DirectoryQuery,
      response: { 200: ToolIDs },
      detail: { operationId: "tool.ids", summary: "List tool IDs", description: "Built-in tools and the tools of connected MCP servers." },
    })
    .get("/experimental/tool", ({ instance, query }) => toolList(instance, query), {
      query: scopedQuery({
        provider: t.String({ minLength: 1 }),
        model: t.String({ minLength: 1 }),
        agent: t.Optional(t.String({ description: "Only the tools this agent's `tools` switches leave on" })),
      }),
      response: { 200: ToolList },
      detail: {
        operationId: "tool.list",
        summary: "List tools",
        description: "The tools a model would be offered, with the JSON Schema of each tool's input. An unknown provider or model answers 400.",
      },
    })
}
