import fs from "node:fs"
import os from "node:os"
import path from "node:path"

/**
 * A private temp folder for a benchmark that runs the server in-process: the data and config
 * directories (and any more given, env name → subfolder) point inside it and logs drop to
 * errors, so a run never touches the user's opencode state. Call it before importing the
 * server's modules, which read these settings; the folder goes at exit.
 */
export function benchRoot(prefix: string, more: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  const dirs: Record<string, string> = { OPENCODE_BUN_DATA_DIR: "data", OPENCODE_CONFIG_DIR: "config", ...more }
  for (const [name, sub] of Object.entries(dirs)) process.env[name] = path.join(root, sub)
  process.env.OPENCODE_LOG_LEVEL = "error"
  process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }))
  return root
}
