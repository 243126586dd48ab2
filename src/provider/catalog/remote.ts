import fs from "node:fs"
import path from "node:path"
import { Paths } from "../../global/paths"
import { flagSetting, numberSetting, setting } from "../../global/settings"
import { createLog } from "../../util/log"
import { parseCatalog, type RawProvider } from "./validate"

// Keeps the catalog current from models.dev without ever making anyone wait for it: a
// refresh runs in the background at most once per interval, bounded in time, conditional on
// the ETag of what is cached on disk. Anything unusable (error, time-out, garbage) leaves the
// catalog as it was. Its variables (OPENCODE_DISABLE_MODELS_FETCH, OPENCODE_MODELS_URL,
// OPENCODE_BUN_MODELS_TIMEOUT, OPENCODE_BUN_MODELS_REFRESH) are in global/settings.ts.

const log = createLog("provider.catalog")


export function modelsUrl() {
  return `${(setting("OPENCODE_MODELS_URL") || "https://models.dev").replace(/\/+$/, "")}/api.json`
}

function disabled() {
  return flagSetting("OPENCODE_DISABLE_MODELS_FETCH")
}

const cacheFile = () => path.join(Paths.cache, "models.json")
const metaFile = () => path.join(Paths.cache, "models.meta.json")

type Meta = { url: string; etag?: string; fetchedAt: number }

function readMeta(): Meta | undefined {
  try {
    return JSON.parse(fs.readFileSync(metaFile(), "utf8"))
  } catch {
    return undefined
  }
}

/** What an earlier refresh from the configured URL left on disk, if usable. */
export function cachedCatalog(): Record<string, RawProvider> | undefined {
  if (readMeta()?.url !== modelsUrl()) return undefined
  try {
    return parseCatalog(JSON.parse(fs.readFileSync(cacheFile(), "utf8")))
  } catch {
    return undefined
  }
}

function writeAtomic(file: string, text: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, text)
  fs.renameSync(tmp, file)
}

let lastAttempt = 0
let running: Promise<void> | undefined

/** Starts a background refresh when one is due; never waits for it. */
export function refreshSoon(apply: (catalog: Record<string, RawProvider>) => void) {
  if (disabled() || running || Date.now() - lastAttempt < numberSetting("OPENCODE_BUN_MODELS_REFRESH", 3_600_000)) return
  lastAttempt = Date.now()
  running = refresh(apply)
    .catch((e) => log.info("models.dev refresh failed; keeping the current catalog", { error: String((e as Error)?.message ?? e) }))
    .finally(() => (running = undefined))
}

/** For tests and shutdown: the refresh in flight, if any. */
export function refreshing(): Promise<void> | undefined {
  return running
}

async function refresh(apply: (catalog: Record<string, RawProvider>) => void) {
  const url = modelsUrl()
  const meta = readMeta()
  const headers: Record<string, string> = { accept: "application/json" }
  if (meta?.url === url && meta.etag && fs.existsSync(cacheFile())) headers["if-none-match"] = meta.etag
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(numberSetting("OPENCODE_BUN_MODELS_TIMEOUT", 10_000)) })
  if (res.status === 304) {
    writeAtomic(metaFile(), JSON.stringify({ ...meta!, fetchedAt: Date.now() }))
    return
  }
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`)
  const text = await res.text()
  let catalog: Record<string, RawProvider> | undefined
  try {
    catalog = parseCatalog(JSON.parse(text))
  } catch {}
  if (!catalog) throw new Error(`${url} did not answer a models.dev catalog`)
  writeAtomic(cacheFile(), text)
  writeAtomic(metaFile(), JSON.stringify({ url, etag: res.headers.get("etag") ?? undefined, fetchedAt: Date.now() } satisfies Meta))
  log.info("catalog refreshed", { url, providers: Object.keys(catalog).length })
  apply(catalog)
}
