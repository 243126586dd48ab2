import type { LanguageModel } from "ai"
import { ProviderInitError } from "./errors"
import type { Entry } from "./registry"
import type { Model } from "./schema"

// Each SDK is imported on first use (keeps server start-up fast); the specifiers are literal
// so `bun build --compile` still embeds every bundled provider. No runtime downloads.

const NOT_FACTORY_OPTIONS = new Set(["apiKey", "baseURL", "headers", "timeout", "setCacheKey", "enterpriseUrl"])

export async function createLanguageModel(entry: Entry, model: Model): Promise<LanguageModel> {
  const providerID = entry.info.id
  const customURL = typeof entry.options.baseURL === "string" || model.api.url !== (entry.baseURL ?? "")
  const baseURL = model.api.url || entry.baseURL
  const headers = { ...(entry.options.headers as Record<string, string> | undefined), ...model.headers }
  const extra = Object.fromEntries(Object.entries(entry.options).filter(([k]) => !NOT_FACTORY_OPTIONS.has(k)))
  const apiKey = entry.credential?.key
  const fetch = timeoutFetch(entry.options.timeout)
  const common = { ...extra, ...(baseURL ? { baseURL } : {}), headers, ...(fetch ? { fetch } : {}) }
  const id = model.api.id

  switch (model.api.npm) {
    case "@ai-sdk/anthropic": {
      const { createAnthropic } = await import("@ai-sdk/anthropic")
      // Stored OAuth access tokens are bearer tokens, not API keys.
      const auth = entry.credential?.oauth ? { authToken: apiKey } : { apiKey: apiKey ?? "" }
      return createAnthropic({ ...common, ...auth })(id)
    }
    case "@ai-sdk/openai": {
      const { createOpenAI } = await import("@ai-sdk/openai")
      const sdk = createOpenAI({ ...common, apiKey: apiKey ?? "" })
      // OpenAI itself gets the Responses API; anything else behind this SDK speaks chat completions.
      return providerID === "openai" && !customURL ? sdk.responses(id) : sdk.chat(id)
    }
    case "@ai-sdk/google": {
      const { createGoogleGenerativeAI } = await import("@ai-sdk/google")
      return createGoogleGenerativeAI({ ...common, apiKey: apiKey ?? "" })(id)
    }
    case "@ai-sdk/openai-compatible":
      return compatible(providerID, model, baseURL, apiKey, common)
    default:
      if (baseURL) return compatible(providerID, model, baseURL, apiKey, common)
      throw new ProviderInitError(
        providerID,
        `Provider "${providerID}" uses the npm package "${model.api.npm}", which this server does not bundle. ` +
          `Bundled: @ai-sdk/anthropic, @ai-sdk/openai, @ai-sdk/google, @ai-sdk/openai-compatible. ` +
          `If the service speaks the OpenAI chat-completions protocol, set provider.${providerID}.options.baseURL in opencode.json.`,
      )
  }
}

async function compatible(providerID: string, model: Model, baseURL: string | undefined, apiKey: string | undefined, common: Record<string, unknown>) {
  if (!baseURL)
    throw new ProviderInitError(providerID, `Provider "${providerID}" has no base URL: set provider.${providerID}.options.baseURL in opencode.json.`)
  const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible")
  return createOpenAICompatible({ ...common, name: providerID, baseURL, ...(apiKey ? { apiKey } : {}), includeUsage: true }).chatModel(model.api.id)
}

function timeoutFetch(timeout: unknown): typeof fetch | undefined {
  if (typeof timeout !== "number" || timeout <= 0) return undefined
  const wrapped = (input: RequestInfo | URL, init?: RequestInit) => {
    const limit = AbortSignal.timeout(timeout)
    const signal = init?.signal ? AbortSignal.any([init.signal, limit]) : limit
    return fetch(input, { ...init, signal })
  }
  return Object.assign(wrapped, { preconnect: fetch.preconnect }) as typeof fetch
}
