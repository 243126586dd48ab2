import { t } from "../util/schema"
import { defineEvent } from "../bus"

/** A plugin or custom tool file that could not be installed, imported or started. */
export const PluginFailed = defineEvent(
  "plugin.failed",
  t.Object({
    name: t.String({ description: "The config entry or file the plugin came from" }),
    source: t.Union([t.Literal("npm"), t.Literal("file"), t.Literal("tool")]),
    error: t.String(),
  }),
)
