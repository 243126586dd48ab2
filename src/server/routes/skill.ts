import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { listSkills, Skill } from "../../skill/skill"

export function skillRoutes() {
  return new Elysia({ tags: ["app"] })
    .use(instanceScope)
    .get("/skill", () => listSkills(), {
      query: DirectoryQuery,
      response: { 200: t.Array(Skill) },
      detail: {
        operationId: "app.skills",
        summary: "List skills",
        description: "Skills the agent can load. Always empty: this server's agent has no `skill` tool.",
      },
    })
}
