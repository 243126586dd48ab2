import os from "node:os"
import path from "node:path"
import fs from "node:fs"
import { setting, type SettingName } from "./settings"

// Our own data lives apart from the real opencode's (~/.local/share/opencode) so both can
// run side by side without touching each other's databases. Config stays shared: the user's
// opencode.json is the same file for both.
const APP = "opencode-bun"

function xdg(envName: SettingName, fallback: string) {
  const v = setting(envName)
  return v && path.isAbsolute(v) ? v : path.join(os.homedir(), fallback)
}

export const Paths = {
  get home() {
    return setting("OPENCODE_TEST_HOME") ?? os.homedir()
  },
  /** Database, auth.json, snapshots. Override with OPENCODE_BUN_DATA_DIR. */
  get data() {
    return setting("OPENCODE_BUN_DATA_DIR") ?? path.join(xdg("XDG_DATA_HOME", ".local/share"), APP)
  },
  get state() {
    return setting("OPENCODE_BUN_STATE_DIR") ?? path.join(xdg("XDG_STATE_HOME", ".local/state"), APP)
  },
  get cache() {
    return setting("OPENCODE_BUN_CACHE_DIR") ?? path.join(xdg("XDG_CACHE_HOME", ".cache"), APP)
  },
  /** The user's opencode config directory, shared with the real opencode. */
  get config() {
    return setting("OPENCODE_CONFIG_DIR") ?? path.join(xdg("XDG_CONFIG_HOME", ".config"), "opencode")
  },
}

export function ensureDir(dir: string, mode = 0o700) {
  fs.mkdirSync(dir, { recursive: true, mode })
  return dir
}
