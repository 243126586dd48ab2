import path from "node:path"
import { Paths } from "../global/paths"
import { configureLog } from "../util/log"
import { openLogFile } from "../util/log-file"

/** `opencode serve` logs to <data>/log (rotated), and to stderr too with --print-logs. */
export function startLogging(printLogs: boolean) {
  try {
    configureLog({ stderr: printLogs, file: openLogFile(path.join(Paths.data, "log")) })
  } catch (e) {
    // No writable data directory: say so once and keep logging where it can be seen.
    console.error(`Warning: cannot write log files in ${path.join(Paths.data, "log")} (${e instanceof Error ? e.message : e}); logging to stderr`)
    configureLog({ stderr: true })
  }
}
