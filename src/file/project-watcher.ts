import os from "node:os"
import path from "node:path"
import type { Instance } from "../project/instance"
import { Bus } from "../bus"
import { FileWatcherUpdated } from "./events"
import { IgnoreRules } from "./ignore"
import { ProjectWatcher } from "./watcher"
import { flagSetting } from "../global/settings"

const KEY = "file.watcher"

/**
 * Starts the watcher of an instance (once; it stops with the instance) and publishes its
 * changes as `file.watcher.updated`. Not started for the filesystem root or the home
 * directory, where a recursive watch would cover the whole disk or the user's every file,
 * nor when OPENCODE_EXPERIMENTAL_DISABLE_FILEWATCHER is set (the real server's switch).
 */
export function startWatcher(instance: Instance): ProjectWatcher | undefined {
  if (!watchable(instance.directory)) return undefined
  return instance.state(
    KEY,
    () => {
      const w = new ProjectWatcher(instance.directory, IgnoreRules.of(instance, { heavy: true }))
      w.on((changes) => {
        for (const c of changes)
          Bus.publish(instance.directory, FileWatcherUpdated, { file: path.join(instance.directory, c.rel), event: c.event })
      })
      return w
    },
    (w) => w.close(),
  )
}

/** The running watcher of an instance, if any. */
export function watcherOf(instance: Instance): ProjectWatcher | undefined {
  return instance.peek<ProjectWatcher>(KEY)
}

function watchable(dir: string) {
  if (flagSetting("OPENCODE_EXPERIMENTAL_DISABLE_FILEWATCHER")) return false
  if (path.parse(dir).root === dir) return false
  return path.resolve(dir) !== path.resolve(os.homedir())
}
