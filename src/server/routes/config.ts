import { Elysia } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { clientConfig, updateClientConfig } from "../../config/client-view"
import { Config } from "../../config/schema"
import { bodyAsSent } from "../body-guard"

// Documented, not enforced, on the way out: a bad `mcp` entry from some file stays in the
// merged config (the MCP domain reports it as a failed server) and must not turn GET into an error.
const configResponse = (description: string) => ({
  200: { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Config" } } } },
})

export function configRoutes() {
  return new Elysia({ tags: ["config"] })
    .use(instanceScope)
    .get("/config", ({ instance }) => clientConfig(instance), {
      query: DirectoryQuery,
      detail: {
        responses: configResponse("The merged config"),
        operationId: "config.get",
        summary: "Get configuration",
        description:
          "The merged config: global, OPENCODE_CONFIG, project opencode.json[c] and .opencode/ directories, then OPENCODE_CONFIG_CONTENT. A file that fails to parse or validate keeps its last valid content; the error is logged and sent to attached TUIs as a tui.toast.show event.",
      },
    })
    // As sent: a key that is not a setting is refused by name, not silently dropped.
    .patch("/config", ({ instance, body, request }) => updateClientConfig(instance, (bodyAsSent(request) ?? body) as typeof body), {
      query: DirectoryQuery,
      body: Config,
      detail: {
        responses: configResponse("The merged config after the update"),
        operationId: "config.update",
        summary: "Update configuration",
        description:
          "Deep-merges the body into the directory's opencode.jsonc or opencode.json (created if missing), keeping comments, and applies it at once. Answers the new merged config; 400 ConfigInvalidError names the file and field when the result would be invalid, or the path of a key that is not a setting, and nothing is written.",
      },
    })
}
