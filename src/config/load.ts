import type { Config } from "./schema"
import { ConfigInvalidError } from "./error"
import { parseSource, type Parsed } from "./parse"
import { listSources, type Located } from "./sources"
import { createLog } from "../util/log"
import { FORBIDDEN_KEYS } from "../util/safe-keys"

const log = createLog("config")

export type Loaded = {
  config: Config
  /** One per source that could not be used this time (its last good content was kept). */
  errors: ConfigInvalidError[]
  /** Changes whenever any source file appears, disappears or is rewritten. */
  signature: string
}

// Process-wide, keyed by file: a source is re-read only when its signature changes, and a
// source that breaks keeps contributing its last good content, even across instance restarts.
const cache = new Map<string, { signature: string; parsed: Parsed }>()
const lastGood = new Map<string, Record<string, any>>()

export function currentSignature(directory: string, worktree: string) {
  return signatureOf(listSources(directory, worktree))
}

export function loadConfig(directory: string, worktree: string): Loaded {
  const sources = listSources(directory, worktree)
  const errors: ConfigInvalidError[] = []
  let config: Record<string, any> = {}
  for (const source of sources) {
    const parsed = parse(source)
    if (parsed.issues.length) {
      errors.push(new ConfigInvalidError(source.file, parsed.issues))
      const good = lastGood.get(source.file)
      if (good) config = mergeConfig(config, good)
      continue
    }
    lastGood.set(source.file, parsed.value)
    config = mergeConfig(config, parsed.value)
  }
  return { config: config as Config, errors, signature: signatureOf(sources) }
}

function parse(source: Located): Parsed {
  const hit = cache.get(source.file)
  if (hit && hit.signature === source.signature) return hit.parsed
  const parsed = parseSource(source)
  cache.set(source.file, { signature: source.signature, parsed })
  if (parsed.unknown.length) log.warn("unknown config keys kept as they are", { file: source.file, keys: parsed.unknown })
  return parsed
}

function signatureOf(sources: Located[]) {
  return sources.map((s) => `${s.file}@${s.signature}`).join("|")
}

// Lists that accumulate across files instead of the nearer file replacing them.
const CONCAT = new Set(["instructions", "plugin"])

/** Deep merge, `b` wins; arrays are replaced except the ones that accumulate. */
export function mergeConfig(a: Record<string, any>, b: Record<string, any>): Record<string, any> {
  const out = merge(a, b)
  for (const key of CONCAT) {
    if (Array.isArray(a[key]) && Array.isArray(b[key])) out[key] = [...new Set([...a[key], ...b[key]])]
  }
  return out
}

export function merge(a: any, b: any): any {
  if (Array.isArray(a) || Array.isArray(b) || typeof a !== "object" || typeof b !== "object" || !a || !b) return b
  const out: any = { ...a }
  for (const [k, v] of Object.entries(b)) if (!FORBIDDEN_KEYS.has(k)) out[k] = k in a ? merge(a[k], v) : v
  return out
}
