import fs from "node:fs"
import path from "node:path"
import { Paths } from "../global/paths"
import { createLog } from "../util/log"
import type { Auth } from "./schema"

// Credentials stored by PUT /auth/:id, in our data dir. Owner-only: the directory 0700 and the
// file 0600 from the moment it exists (written to a private temp file, then renamed).

const log = createLog("provider.auth")

type Cached = { stamp: string; value: Record<string, Auth> }
let cache: Cached | undefined
let version = 0

export function authFile() {
  return path.join(Paths.data, "auth.json")
}

/** Bumped on every change, so registries built from an older state know to rebuild. */
export function authVersion() {
  return version
}

export function readAuth(): Record<string, Auth> {
  const file = authFile()
  let stamp = "missing"
  try {
    const st = fs.statSync(file)
    stamp = `${st.mtimeMs}:${st.size}`
  } catch {}
  if (cache?.stamp === stamp) return cache.value
  let value: Record<string, Auth> = {}
  if (stamp !== "missing") {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8"))
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) value = parsed
    } catch (error) {
      log.warn("ignoring unreadable auth.json", { file, error })
    }
  }
  if (cache && cache.stamp !== stamp) version++
  cache = { stamp, value }
  return value
}

export function setAuth(providerID: string, auth: Auth) {
  write({ ...readAuth(), [providerID]: auth })
}

/** Returns whether a credential was stored. */
export function removeAuth(providerID: string): boolean {
  const all = readAuth()
  if (!(providerID in all)) return false
  const { [providerID]: _, ...rest } = all
  write(rest)
  return true
}

function write(value: Record<string, Auth>) {
  const file = authFile()
  const dir = path.dirname(file)
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  fs.chmodSync(dir, 0o700)
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  const fd = fs.openSync(tmp, "wx", 0o600)
  try {
    fs.writeFileSync(fd, JSON.stringify(value, null, 2) + "\n")
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, file)
  version++
  cache = undefined
}
