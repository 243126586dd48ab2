import { Elysia, t } from "elysia"
import { Config } from "../../config/schema"
import { globalConfig, updateGlobalConfig } from "../../config/global"
import { disposeGlobal } from "../../project/update"

const configResponse = (description: string) => ({
  200: { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Config" } } } },
})

// What the web and desktop apps' settings use: the user's own config, and a restart of everything.
export function globalAdminRoutes() {
  return new Elysia({ tags: ["global"] })
    .get("/global/config", () => globalConfig(), {
      detail: {
        responses: configResponse("The global config"),
        operationId: "global.config.get",
        summary: "Get global configuration",
        description: "The user's config files (config.json, opencode.json, opencode.jsonc in the opencode config directory) merged, without any project's; secrets masked.",
      },
    })
    .patch("/global/config", ({ body }) => updateGlobalConfig(body), {
      body: Config,
      detail: {
        responses: configResponse("The global config after the update"),
        operationId: "global.config.update",
        summary: "Update global configuration",
        description: "Deep-merges the body into the user's global config file, keeping comments; every project sees it on its next request. 400 ConfigInvalidError when the result would be invalid, and nothing is written.",
      },
    })
    .post("/global/dispose", () => disposeGlobal(), {
      response: { 200: t.Boolean() },
      detail: {
        operationId: "global.dispose",
        summary: "Dispose every instance",
        description: "Stops what the server runs for every directory (language servers, MCP clients, watchers); each starts again on its next request.",
      },
    })
}
