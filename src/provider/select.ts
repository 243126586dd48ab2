import { withV1Fields } from "./v1-view"
import { getConfig } from "../config/config"
import type { Instance } from "../project/instance"
import { NoModelError } from "./errors"
import { registry, type Entry } from "./registry"
import type { Model, Provider } from "./schema"

export type ModelRef = { providerID: string; modelID: string }

// Preferred coding models, best first; matched as substrings of the model id.
const PREFERRED = ["claude-sonnet-4", "gpt-5", "gemini-2.5-pro", "claude-opus-4", "gpt-4.1", "claude-3-7-sonnet", "gemini-2.5-flash", "deepseek-chat"]
const SMALL = ["claude-haiku-4", "claude-3-5-haiku", "haiku", "gpt-5-nano", "gpt-5-mini", "gpt-4.1-mini", "gpt-4o-mini", "flash-lite", "gemini-2.5-flash", "flash", "mini", "nano", "small"]
const LESSER = ["mini", "nano", "haiku", "lite", "small", "embed", "tts", "audio", "image", "vision", "search", "realtime", "preview"]
const PROVIDER_ORDER = ["anthropic", "openai", "google", "openrouter"]

/** "provider/model" (the model id may itself contain slashes). */
export function parseModelRef(ref: string): ModelRef {
  const i = ref.indexOf("/")
  if (i <= 0 || i === ref.length - 1) throw new NoModelError(`Invalid model "${ref}": expected "provider/model", e.g. "anthropic/claude-sonnet-4-5"`)
  return { providerID: ref.slice(0, i), modelID: ref.slice(i + 1) }
}

// Dashed patterns match anywhere in the id; single words only as a whole segment
// ("mini" must not match "gemini").
function matches(id: string, pattern: string) {
  return pattern.includes("-") ? id.includes(pattern) : id.split(/[-_/.:]/).includes(pattern)
}

function rank(m: Model, list: string[]) {
  const i = list.findIndex((p) => matches(m.id, p))
  return i === -1 ? list.length : i
}

const lesser = (m: Model) => Number(LESSER.some((w) => matches(m.id, w)))

/** The provider's best-known model for coding: tool use, preferred families, newest first. */
export function bestModel(models: Record<string, Model>): Model | undefined {
  const keyed = Object.values(models)
    .filter((m) => m.status !== "deprecated")
    .map((m) => ({ m, tool: Number(m.capabilities.toolcall), pref: rank(m, PREFERRED), lesser: lesser(m) }))
  keyed.sort(
    (a, b) =>
      b.tool - a.tool ||
      a.pref - b.pref ||
      a.lesser - b.lesser ||
      b.m.release_date.localeCompare(a.m.release_date) ||
      a.m.id.localeCompare(b.m.id),
  )
  return keyed[0]?.m
}

function smallOf(models: Record<string, Model>): Model | undefined {
  const keyed = Object.values(models)
    .filter((m) => m.status !== "deprecated")
    .map((m) => ({ m, rank: rank(m, SMALL) }))
    .filter((k) => k.rank < SMALL.length)
  keyed.sort((a, b) => a.rank - b.rank || b.m.release_date.localeCompare(a.m.release_date))
  return keyed[0]?.m
}

export async function listProviders(instance: Instance): Promise<{ all: Provider[]; default: Record<string, string>; connected: string[] }> {
  const reg = await registry(instance)
  const entries = [...reg.providers.values()]
  return {
    all: entries.map((e) => withV1Fields(e.info)),
    default: defaults(entries),
    connected: entries.filter((e) => e.connected).map((e) => e.info.id),
  }
}

// GET /provider answers the whole catalog, about 7 MB of JSON. Built anew per request it cost
// 60+ ms of CPU and tens of MB of short-lived garbage each time, which bench/soak.ts saw as RSS
// swinging by 100 MB under mixed GETs. The answer depends only on the registry build, so the
// last build's JSON is kept: one slot (weakly tied to its registry), so many directories never
// hold more than one copy, and a rebuild (config, credentials, catalog) replaces it.
let lastList: { reg: WeakRef<object>; body: Blob } | undefined

/** `listProviders` as JSON, serialised once per registry build. */
export async function listProvidersJSON(instance: Instance): Promise<Blob> {
  const reg = await registry(instance)
  if (lastList?.reg.deref() !== reg) {
    const body = new Blob([JSON.stringify(await listProviders(instance))], { type: "application/json" })
    lastList = { reg: new WeakRef(reg), body }
  }
  return lastList.body
}

/** Only the providers that can be used now: configured or holding a credential. */
export async function connectedProviders(instance: Instance): Promise<{ providers: Provider[]; default: Record<string, string> }> {
  const entries = [...(await registry(instance)).providers.values()].filter((e) => e.connected)
  return { providers: entries.map((e) => e.info), default: defaults(entries) }
}

// Per entry, computed once per registry build (entries are rebuilt when anything changes).
const bestOf = new WeakMap<Entry, Model | undefined>()
function best(e: Entry) {
  if (!bestOf.has(e)) bestOf.set(e, bestModel(e.info.models))
  return bestOf.get(e)
}

function defaults(entries: Entry[]) {
  const out: Record<string, string> = {}
  for (const e of entries) {
    const m = best(e)
    if (m) out[e.info.id] = m.id
  }
  return out
}

/** Config `model`, else the best model of the first connected provider. */
export async function defaultModel(instance: Instance): Promise<ModelRef> {
  const config = await getConfig(instance)
  if (config.model) return parseModelRef(config.model)
  const reg = await registry(instance)
  const configured = Object.keys(config.provider ?? {})
  const order = (e: Entry) => {
    const c = configured.indexOf(e.info.id)
    if (c !== -1) return c
    const p = PROVIDER_ORDER.indexOf(e.info.id)
    return configured.length + (p === -1 ? PROVIDER_ORDER.length : p)
  }
  const candidates = [...reg.providers.values()].filter((e) => e.connected).sort((a, b) => order(a) - order(b))
  for (const e of candidates) {
    const m = best(e)
    if (m) return { providerID: e.info.id, modelID: m.id }
  }
  throw new NoModelError(
    'No model configured and no provider connected: set "model" in opencode.json, define a provider there, ' +
      "store a key with PUT /auth/:providerID, or set an API key variable such as ANTHROPIC_API_KEY or OPENAI_API_KEY.",
  )
}

/** Config `small_model`, else a known small model of the default provider, else the default. */
export async function smallModel(instance: Instance): Promise<ModelRef> {
  const config = await getConfig(instance)
  if (config.small_model) return parseModelRef(config.small_model)
  const main = await defaultModel(instance)
  const provider = (await registry(instance)).providers.get(main.providerID)
  const small = provider && smallOf(provider.info.models)
  return small ? { providerID: main.providerID, modelID: small.id } : main
}
