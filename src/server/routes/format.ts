import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import * as Format from "../../format"
import { FormatterStatus } from "../../format/schema"

export function formatRoutes() {
  return new Elysia({ tags: ["formatter"] })
    .use(instanceScope)
    .get("/formatter", ({ instance }) => Format.status(instance), {
      query: DirectoryQuery,
      response: { 200: t.Array(FormatterStatus) },
      detail: {
        operationId: "formatter.status",
        summary: "Get formatter status",
        description: "Every known formatter with its file extensions and whether it runs after edits in this project (installed, opted into by the project or config, not disabled).",
      },
    })
}
