import { Elysia, t } from "elysia"
import { instanceScope, DirectoryQuery } from "../directory"
import { pluginStatus } from "../../plugin"
import { PluginStatus } from "../../plugin/schema"

export function pluginRoutes() {
  return new Elysia({ tags: ["experimental"] })
    .use(instanceScope)
    .get("/experimental/plugin", ({ instance }) => pluginStatus(instance), {
      query: DirectoryQuery,
      response: { 200: t.Array(PluginStatus, { $id: "PluginStatusList" }) },
      detail: {
        operationId: "experimental.plugin.list",
        summary: "List plugins",
        description:
          "Every plugin (from the `plugin` config key and the plugin folders) and custom tool file of this directory, loaded or failed with the reason. Waits for npm plugins still installing. A failure is also logged and announced as a `plugin.failed` event.",
      },
    })
}
