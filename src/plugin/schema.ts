import { t, type Static } from "../util/schema"

export const PluginStatus = t.Object(
  {
    name: t.String({ description: "The config entry (`name@version`, `file://...`) or the file path" }),
    source: t.Union([t.Literal("npm"), t.Literal("file"), t.Literal("tool")], {
      description: "npm: from the `plugin` config key; file: a plugin file or file: entry; tool: a custom tool file",
    }),
    status: t.Union([t.Literal("loaded"), t.Literal("failed")]),
    version: t.Optional(t.String({ description: "For an npm plugin: the version installed in the cache" })),
    error: t.Optional(t.String({ description: "Why it failed to install, import or start" })),
    hooks: t.Array(t.String(), { description: "The hooks it registered" }),
    tools: t.Array(t.String(), { description: "The tool ids it added" }),
  },
  { $id: "PluginStatus" },
)
export type PluginStatus = Static<typeof PluginStatus>
