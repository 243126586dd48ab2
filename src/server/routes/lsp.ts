import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import * as Lsp from "../../lsp"
import { LspStatus } from "../../lsp/schema"

export function lspRoutes() {
  return new Elysia({ tags: ["lsp"] })
    .use(instanceScope)
    .get("/lsp", ({ instance }) => Lsp.status(instance), {
      query: DirectoryQuery,
      response: { 200: t.Array(LspStatus) },
      detail: {
        operationId: "lsp.status",
        summary: "Get LSP server status",
        description: "Language servers started for files the agent touched in this directory, with their root and state.",
      },
    })
}
