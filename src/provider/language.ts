import type { LanguageModel } from "ai"
import { ProviderInitError } from "./errors"
import type { Entry } from "./registry"
import type { Model } from "./schema"
import { signInOptions } from "./auth/load"

// Each SDK is imported on first use (keeps server start-up fast); the specifiers are literal
// so `bun build --compile` still embeds every bundled provider. No runtime downloads.

const NOT_FACTORY_OPTIONS = new Set(["apiKey", "baseURL", "headers", "timeout", "headerTimeout", "chunkTimeout", "setCacheKey", "enterpriseUrl"])

export async function createLanguageModel(entry: Entry, model: Model): Promise<LanguageModel> {
  const providerID = entry.info.id
  // A sign-in (built-in or a plugin's `auth.loader`) may bring its own endpoint, key and fetch.
  const signIn = entry.credential?.source === "api" ? await signInOptions(providerID, entry.info) : {}
  const customURL = typeof entry.options.baseURL === "string" || model.api.url !== (entry.baseURL ?? "")
  const baseURL: string | undefined = str(signIn.baseURL) ?? (model.api.url || entry.baseURL)
  const headers = { ...(entry.options.headers as Record<string, string> | undefined), ...model.headers, ...signIn.headers }
  const options = { ...entry.options, ...signIn }
  const extra = Object.fromEntries(Object.entries(options).filter(([k]) => !NOT_FACTORY_OPTIONS.has(k) && k !== "fetch"))
  const apiKey: string | undefined = str(signIn.apiKey) ?? entry.credential?.key
  const fetch = providerFetch(options, typeof signIn.fetch === "function" ? signIn.fetch : undefined)
  const common = { ...extra, ...(baseURL ? { baseURL } : {}), headers, fetch }
  const id = model.api.id

  switch (model.api.npm) {
    case "@ai-sdk/anthropic": {
      const { createAnthropic } = await import("@ai-sdk/anthropic")
      // Stored OAuth access tokens are bearer tokens, not API keys.
      const auth = entry.credential?.oauth && !signIn.apiKey ? { authToken: apiKey } : { apiKey: apiKey ?? "" }
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

// A provider that accepts the connection and then goes silent must not keep a session busy
// forever: without these limits a prompt would hang until someone aborts it. Defaults follow
// opencode's (5 minutes for headers, 5 minutes between two chunks); `timeout` caps the whole
// request and is off unless set. Each can be set per provider in `options`; `false` disables.
const DEFAULT_HEADER_TIMEOUT = 300_000
const DEFAULT_CHUNK_TIMEOUT = 300_000

function limit(value: unknown, fallback: number | undefined): number | undefined {
  if (value === false) return undefined
  return typeof value === "number" && value > 0 ? value : fallback
}

/**
 * Carries a network-timeout `code` on purpose: the AI SDK (and our retry policy after it)
 * treats errors with such codes as a dropped connection worth retrying.
 */
export class ProviderStallError extends Error {
  constructor(
    message: string,
    readonly code: "ETIMEDOUT" | "UND_ERR_HEADERS_TIMEOUT",
  ) {
    super(message)
    this.name = "ProviderStallError"
  }
}

function providerFetch(options: Record<string, unknown>, inner: typeof fetch = fetch): typeof fetch {
  const total = limit(options.timeout, undefined)
  const header = limit(options.headerTimeout, DEFAULT_HEADER_TIMEOUT)
  const chunk = limit(options.chunkTimeout, DEFAULT_CHUNK_TIMEOUT)
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit) => {
    const giveUp = new AbortController()
    const signals = [init?.signal, total ? AbortSignal.timeout(total) : undefined, giveUp.signal].filter((s): s is AbortSignal => !!s)
    let timer: ReturnType<typeof setTimeout> | undefined
    const noHeaders = new Promise<never>((_, reject) => {
      if (!header) return
      timer = setTimeout(() => {
        giveUp.abort()
        reject(new ProviderStallError(`The provider sent no response headers within ${header / 1000} s`, "UND_ERR_HEADERS_TIMEOUT"))
      }, header)
    })
    let res: Response
    try {
      res = await Promise.race([inner(input, { ...init, signal: AbortSignal.any(signals) }), noHeaders])
    } finally {
      clearTimeout(timer)
    }
    if (!chunk || !res.body) return res
    return new Response(watchChunks(res.body, chunk), { status: res.status, statusText: res.statusText, headers: res.headers })
  }
  return Object.assign(wrapped, { preconnect: fetch.preconnect }) as typeof fetch
}

/** Errors the body when no bytes arrive for `ms`, so a stalled stream ends like a dropped one. */
function watchChunks(body: ReadableStream<Uint8Array>, ms: number): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProviderStallError(`The provider sent nothing for ${ms / 1000} s`, "ETIMEDOUT")), ms)
      })
      try {
        const { value, done } = await Promise.race([reader.read(), stalled])
        if (done) controller.close()
        else controller.enqueue(value)
      } catch (e) {
        reader.cancel(e).catch(() => {})
        controller.error(e)
      } finally {
        clearTimeout(timer)
      }
    },
    cancel(reason) {
      return reader.cancel(reason)
    },
  })
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined
}
