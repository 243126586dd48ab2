import * as api from "@opencode-ai/plugin"

let registered = false

/**
 * Makes `@opencode-ai/plugin` importable by every plugin and tool file, wherever it lives.
 * Those files are imported at run time from the user's folders; inside the compiled
 * executable they cannot see our bundled node_modules, and users should not have to install
 * anything next to their tools. A Bun virtual module answers the specifier from the copy
 * bundled here, which also means every tool's `tool.schema` is the same zod we convert with.
 */
export function registerPluginApi() {
  if (registered) return
  registered = true
  const exports = { ...api }
  Bun.plugin({
    name: "opencode-plugin-api",
    setup(build) {
      build.module("@opencode-ai/plugin", () => ({ exports, loader: "object" }))
      build.module("@opencode-ai/plugin/tool", () => ({ exports, loader: "object" }))
    },
  })
}

/** The zod that `tool.schema` hands to tool authors. */
export const zod = api.tool.schema
