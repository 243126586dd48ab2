// The model catalog: models.dev as last refreshed (cached on disk), else the snapshot the
// binary carries (scripts/catalog-snapshot.ts; date and source in models-snapshot.meta.json).
// Loaded on first use, not at start-up; refreshed in the background (remote.ts).
import snapshotPath from "./models-snapshot.json.gz" with { type: "file" }
import { cachedCatalog, refreshSoon } from "./remote"
import { parseCatalog, type RawProvider } from "./validate"

/** A models.dev / opencode-config model entry. */
export type RawModel = {
  id?: string
  name?: string
  family?: string
  release_date?: string
  attachment?: boolean
  reasoning?: boolean
  temperature?: boolean
  tool_call?: boolean
  interleaved?: boolean | { field: string }
  cost?: {
    input?: number
    output?: number
    cache_read?: number
    cache_write?: number
    context_over_200k?: { input: number; output: number; cache_read?: number; cache_write?: number }
  }
  limit?: { context?: number; input?: number; output?: number }
  modalities?: { input?: string[]; output?: string[] }
  status?: "alpha" | "beta" | "deprecated" | "active"
  options?: Record<string, unknown>
  headers?: Record<string, string>
  provider?: { npm?: string; api?: string }
}

export type CatalogProvider = {
  id: string
  name: string
  npm?: string
  api?: string
  env: string[]
  models: Record<string, RawModel>
}

const COMPAT = "@ai-sdk/openai-compatible"

// Well-known providers whose catalog entry names an SDK we do not bundle (or that the snapshot
// lacks): each speaks the OpenAI chat-completions protocol at these endpoints.
const OVERLAY: Record<string, Partial<CatalogProvider>> = {
  groq: { npm: COMPAT, api: "https://api.groq.com/openai/v1" },
  mistral: { npm: COMPAT, api: "https://api.mistral.ai/v1" },
  xai: { npm: COMPAT, api: "https://api.x.ai/v1" },
  togetherai: { npm: COMPAT, api: "https://api.together.xyz/v1" },
  cerebras: { npm: COMPAT, api: "https://api.cerebras.ai/v1" },
  deepinfra: { npm: COMPAT, api: "https://api.deepinfra.com/v1/openai" },
  perplexity: { npm: COMPAT, api: "https://api.perplexity.ai" },
  cohere: { npm: COMPAT, api: "https://api.cohere.ai/compatibility/v1" },
  venice: { npm: COMPAT, api: "https://api.venice.ai/api/v1" },
  vercel: { npm: COMPAT, api: "https://ai-gateway.vercel.sh/v1" },
  v0: { npm: COMPAT, api: "https://api.v0.dev/v1" },
  aihubmix: { npm: COMPAT, api: "https://aihubmix.com/v1" },
  ollama: { name: "Ollama", npm: COMPAT, api: "http://127.0.0.1:11434/v1", env: ["OLLAMA_API_KEY"], models: {} },
}

/** Local servers that need no key. */
export const KEYLESS = new Set(["ollama", "lmstudio"])

let current: Record<string, CatalogProvider> | undefined
let loading: Promise<Record<string, CatalogProvider>> | undefined
let version = 0

/** Bumped whenever a refresh replaces the catalog, so registries built from it rebuild. */
export function catalogVersion() {
  return version
}

export function loadCatalog(): Promise<Record<string, CatalogProvider>> {
  loading ??= (async () => (current = build(cachedCatalog() ?? (await snapshot()))))()
  return loading.then((c) => {
    refreshSoon((raw) => {
      current = build(raw)
      loading = Promise.resolve(current)
      version++
    })
    return current ?? c
  })
}

async function snapshot(): Promise<Record<string, RawProvider>> {
  const bytes = await Bun.file(snapshotPath).bytes()
  const parsed = parseCatalog(JSON.parse(new TextDecoder().decode(Bun.gunzipSync(bytes))))
  if (!parsed) throw new Error("the embedded model catalog is unreadable")
  return parsed
}

function build(raw: Record<string, RawProvider>): Record<string, CatalogProvider> {
  const out: Record<string, CatalogProvider> = {}
  for (const [id, p] of Object.entries(raw)) {
    out[id] = { id, name: p.name ?? id, npm: p.npm, api: p.api, env: [...(p.env ?? [])], models: p.models ?? {} }
  }
  for (const [id, extra] of Object.entries(OVERLAY)) {
    out[id] = { ...(out[id] ?? { id, name: id, env: [], models: {} }), ...extra }
  }
  return out
}
