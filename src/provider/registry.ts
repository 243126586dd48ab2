import type { LanguageModel } from "ai"
import { getConfig, merge, type Config } from "../config/config"
import type { Instance } from "../project/instance"
import { authVersion, readAuth } from "./auth-store"
import { KEYLESS, catalogVersion, loadCatalog, type CatalogProvider, type RawModel } from "./catalog/catalog"
import { toModel } from "./model-info"
import { signInModels } from "./auth/load"
import { signInModelsVersion } from "./auth/registry"
import { isSecretName } from "../config/secrets"
import type { Auth, Model, Provider } from "./schema"

export type Credential = { source: "config" | "api" | "env"; key: string; oauth?: { expires: number } }

/** One provider as the server sees it: the wire `info` plus what it takes to call it. */
export type Entry = {
  info: Provider
  npm: string
  baseURL?: string
  /** Raw config options, secrets included: never sent to clients. */
  options: Record<string, unknown>
  credential?: Credential
  /** Configured in opencode.json (so listed as usable even without a key). */
  configured: boolean
  /** May be called without a key (local servers, custom endpoints). */
  keyless: boolean
  connected: boolean
}

export type Registry = { providers: Map<string, Entry>; languages: Map<string, LanguageModel> }

type Cache = { config?: Config; stamp?: string; value?: Registry }

const COMPAT = "@ai-sdk/openai-compatible"
const BUNDLED = new Set(["@ai-sdk/anthropic", "@ai-sdk/openai", "@ai-sdk/google"])
const HIDDEN_OPTIONS = new Set(["apiKey", "headers"])

/**
 * The providers for a directory: catalog, config and credentials combined. Rebuilt only when
 * the config object, auth.json or a relevant env var changes.
 */
export async function registry(instance: Instance): Promise<Registry> {
  const [config, catalog] = await Promise.all([getConfig(instance), loadCatalog()])
  const auth = readAuth()
  const stamp = `${authVersion()}|${catalogVersion()}|${signInModelsVersion()}|${envStamp(catalog, config)}`
  const cache = instance.state<Cache>("provider.registry", () => ({}))
  if (cache.value && cache.config === config && cache.stamp === stamp) return cache.value
  const value = build(config, catalog, auth)
  Object.assign(cache, { config, stamp, value })
  return value
}

function build(config: Config, catalog: Record<string, CatalogProvider>, auth: Record<string, Auth>): Registry {
  const confProviders: Record<string, any> = config.provider ?? {}
  const disabled = new Set(config.disabled_providers ?? [])
  const enabled = config.enabled_providers ? new Set(config.enabled_providers) : undefined
  const providers = new Map<string, Entry>()
  for (const id of new Set([...Object.keys(catalog), ...Object.keys(confProviders)])) {
    if (disabled.has(id) || (enabled && !enabled.has(id))) continue
    providers.set(id, entry(id, catalog[id], confProviders[id], auth[id]))
  }
  return { providers, languages: new Map() }
}

function entry(id: string, base: CatalogProvider | undefined, conf: any, stored: Auth | undefined): Entry {
  const options: Record<string, unknown> = { ...(conf?.options ?? {}) }
  const npm: string = conf?.npm ?? base?.npm ?? COMPAT
  const baseURL = str(options.baseURL) ?? conf?.api ?? base?.api
  const env: string[] = conf?.env ?? base?.env ?? []

  const raws: Record<string, RawModel> = { ...(base?.models ?? {}) }
  for (const [mid, m] of Object.entries<RawModel>(conf?.models ?? {})) raws[mid] = merge(raws[mid] ?? {}, m)
  const white: string[] | undefined = conf?.whitelist
  const black: string[] = conf?.blacklist ?? []
  const models: Record<string, Model> = {}
  for (const [mid, raw] of Object.entries(raws)) {
    if ((white && !white.includes(mid)) || black.includes(mid)) continue
    models[mid] = toModel(id, mid, raw, { npm, url: baseURL ?? "" })
  }

  const credential = fromConfig(options) ?? fromStore(stored) ?? fromEnv(env)
  const configured = conf !== undefined
  const source = configured ? "config" : (credential?.source ?? "env")
  const offered = stored && credential?.source === "api" ? signInModels(id, models, stored) : models
  return {
    info: { id, name: conf?.name ?? base?.name ?? id, source, env, options: redact(options), models: offered },
    npm,
    baseURL,
    options,
    credential,
    configured,
    keyless: KEYLESS.has(id) || (configured && str(options.baseURL) !== undefined),
    // A key alone does not make a provider usable when we cannot reach it (SDK not bundled, no
    // endpoint); configured ones stay listed so getModel can say what is missing.
    connected: configured || (credential !== undefined && (BUNDLED.has(npm) || baseURL !== undefined)),
  }
}

function fromConfig(options: Record<string, unknown>): Credential | undefined {
  const key = str(options.apiKey)
  return key ? { source: "config", key } : undefined
}

function fromStore(a: Auth | undefined): Credential | undefined {
  if (!a) return undefined
  if (a.type === "api") return { source: "api", key: a.key }
  if (a.type === "wellknown") return { source: "api", key: a.token }
  return { source: "api", key: a.access, oauth: { expires: a.expires } }
}

// Some providers list several variables (account id, region...); the secret is the one
// named like a key or token.
function fromEnv(env: string[]): Credential | undefined {
  const set = env.filter((name) => process.env[name])
  const name = set.find((n) => /(KEY|TOKEN)$/.test(n)) ?? set[0]
  return name ? { source: "env", key: process.env[name]! } : undefined
}

function envStamp(catalog: Record<string, CatalogProvider>, config: Config) {
  const names = new Set<string>()
  for (const p of Object.values(catalog)) for (const n of p.env) names.add(n)
  for (const p of Object.values<any>(config.provider ?? {})) for (const n of p?.env ?? []) names.add(n)
  let out = ""
  for (const n of names) if (process.env[n]) out += `${n}=${Bun.hash(process.env[n]!)};`
  return out
}

function redact(options: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(options).filter(([k]) => !HIDDEN_OPTIONS.has(k) && !isSecretName(k)))
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined
}
