import { t } from "../util/schema"
import { defineEvent } from "../bus/event"

/** `file` is the absolute path, as the real server sends it. */
export const FileWatcherUpdated = defineEvent(
  "file.watcher.updated",
  t.Object({ file: t.String(), event: t.Union([t.Literal("add"), t.Literal("change"), t.Literal("unlink")]) }),
)
