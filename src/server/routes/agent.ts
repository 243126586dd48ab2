import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { listAgents } from "../../agent/agent"
import { Agent } from "../../agent/schema"

export function agentRoutes() {
  return new Elysia({ tags: ["instance"] })
    .use(instanceScope)
    .get("/agent", ({ instance }) => listAgents(instance), {
      query: DirectoryQuery,
      response: { 200: t.Array(Agent) },
      detail: {
        operationId: "app.agents",
        summary: "List agents",
        description: "Built-in build, plan, general and explore, merged with config `agent` entries and .opencode/agent/*.md files; `disable: true` removes one.",
      },
    })
}
