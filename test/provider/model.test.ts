import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { streamText } from "ai"
import { startMockLLM, mockProviderConfig, type MockLLM } from "../helpers/mock-llm"
import { tmpdir } from "../helpers/tmp"
import { getInstance } from "../../src/project/instance"
import { Paths } from "../../src/global/paths"
import { setCredential } from "../../src/provider/credentials"
import {
  computeCost,
  defaultModel,
  getModel,
  ModelNotFoundError,
  NoModelError,
  ProviderAuthError,
  ProviderInitError,
  smallModel,
} from "../../src/provider"

let llm: MockLLM
beforeAll(async () => {
  llm = await startMockLLM()
})
afterAll(() => llm.stop())
afterEach(() => {
  delete process.env.ANTHROPIC_API_KEY
  delete process.env.OPENAI_API_KEY
  fs.rmSync(path.join(Paths.data, "auth.json"), { force: true })
})

/** A fresh project directory with this opencode.json, and its instance. */
async function project(config?: unknown) {
  const dir = tmpdir()
  if (config) fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(config))
  return getInstance(dir)
}

async function text(result: { textStream: AsyncIterable<string> }) {
  let out = ""
  for await (const t of result.textStream) out += t
  return out
}

describe("getModel", () => {
  test("a config-defined provider streams a reply from the mock LLM", async () => {
    const instance = await project(mockProviderConfig(llm.url, { options: { headers: { "x-team": "blue" } } }))
    const { info, language } = await getModel(instance, { providerID: "mock", modelID: "mock-model" })
    expect(info).toMatchObject({ id: "mock-model", providerID: "mock", limit: { context: 100000, output: 8000 } })
    llm.enqueue({ text: "hello from the mock", usage: { prompt_tokens: 12, completion_tokens: 4 } })
    const result = streamText({ model: language, prompt: "say hi" })
    expect(await text(result)).toBe("hello from the mock")
    expect((await result.usage).inputTokens).toBe(12)
    const headers = llm.headers.at(-1)!
    expect(headers.authorization).toBe("Bearer test-key")
    expect(headers["x-team"]).toBe("blue")
    expect(llm.requests.at(-1)).toMatchObject({ model: "mock-model", stream: true, stream_options: { include_usage: true } })
    // Cached per model: the same instance comes back.
    expect((await getModel(instance, { providerID: "mock", modelID: "mock-model" })).language).toBe(language)
  })

  test("credentials: config apiKey beats auth.json, which beats the env var", async () => {
    const config: any = mockProviderConfig(llm.url)
    delete config.provider.mock.options.apiKey
    config.provider.mock.env = ["MOCK_API_KEY"]
    process.env.MOCK_API_KEY = "from-env"
    try {
      const send = async () => {
        const { language } = await getModel(await project(config), { providerID: "mock", modelID: "mock-model" })
        llm.enqueue({ text: "ok" })
        await text(streamText({ model: language, prompt: "x" }))
        return llm.headers.at(-1)!.authorization
      }
      expect(await send()).toBe("Bearer from-env")
      setCredential("mock", { type: "api", key: "from-auth" })
      expect(await send()).toBe("Bearer from-auth")
      config.provider.mock.options.apiKey = "from-config"
      expect(await send()).toBe("Bearer from-config")
    } finally {
      delete process.env.MOCK_API_KEY
    }
  })

  test("the openai provider pointed at a compatible endpoint uses chat completions", async () => {
    const instance = await project({ provider: { openai: { options: { baseURL: llm.url } } } })
    setCredential("openai", { type: "api", key: "sk-openai" })
    const { info, language } = await getModel(instance, { providerID: "openai", modelID: "gpt-4o" })
    expect(info.api.npm).toBe("@ai-sdk/openai")
    llm.enqueue({ text: "via openai sdk" })
    expect(await text(streamText({ model: language, prompt: "x" }))).toBe("via openai sdk")
    expect(llm.headers.at(-1)!.authorization).toBe("Bearer sk-openai")
    expect(llm.requests.at(-1).model).toBe("gpt-4o")
  })

  test("an unknown model or provider is a 400 naming it, with close matches", async () => {
    const instance = await project(mockProviderConfig(llm.url))
    const err = await getModel(instance, { providerID: "mock", modelID: "mock-modl" }).catch((e) => e)
    expect(err).toBeInstanceOf(ModelNotFoundError)
    expect(err.status).toBe(400)
    expect(err.toJSON().name).toBe("ProviderModelNotFoundError")
    expect(err.message).toContain('"mock-modl"')
    expect(err.data.suggestions).toEqual(["mock-model"])
    const noProvider = await getModel(instance, { providerID: "antropic", modelID: "claude" }).catch((e) => e)
    expect(noProvider).toBeInstanceOf(ModelNotFoundError)
    expect(noProvider.message).toContain('"antropic"')
    expect(noProvider.data.suggestions).toContain("anthropic")
  })

  test("a missing key is a ProviderAuthError, raised before any request", async () => {
    const instance = await project()
    const before = llm.requests.length
    const err = await getModel(instance, { providerID: "anthropic", modelID: "claude-sonnet-4-5" }).catch((e) => e)
    expect(err).toBeInstanceOf(ProviderAuthError)
    expect(err.toJSON()).toEqual({ name: "ProviderAuthError", data: { providerID: "anthropic", message: expect.stringContaining("ANTHROPIC_API_KEY") } })
    expect(llm.requests.length).toBe(before)
    process.env.ANTHROPIC_API_KEY = "sk-ant"
    const ok = await getModel(instance, { providerID: "anthropic", modelID: "claude-sonnet-4-5" })
    expect(ok.language).toBeDefined()
  })

  test("a provider whose SDK is not bundled and has no base URL fails clearly", async () => {
    const instance = await project({ provider: { bedrock: { npm: "@ai-sdk/amazon-bedrock", options: { apiKey: "k" }, models: { m: {} } } } })
    const err = await getModel(instance, { providerID: "bedrock", modelID: "m" }).catch((e) => e)
    expect(err).toBeInstanceOf(ProviderInitError)
    expect(err.message).toContain("@ai-sdk/amazon-bedrock")
    expect(err.message).toContain("baseURL")
  })
})

describe("default and small models", () => {
  test("config model and small_model win", async () => {
    const instance = await project({ ...mockProviderConfig(llm.url), small_model: "mock/tiny" })
    expect(await defaultModel(instance)).toEqual({ providerID: "mock", modelID: "mock-model" })
    expect(await smallModel(instance)).toEqual({ providerID: "mock", modelID: "tiny" })
  })

  test("without config: the connected provider's best model, and its small one", async () => {
    process.env.ANTHROPIC_API_KEY = "sk-ant"
    const instance = await project()
    const main = await defaultModel(instance)
    expect(main.providerID).toBe("anthropic")
    expect(main.modelID).toMatch(/sonnet/)
    const small = await smallModel(instance)
    expect(small.providerID).toBe("anthropic")
    expect(small.modelID).toMatch(/haiku/)
  })

  test("nothing configured or connected is a clear error", async () => {
    const err = await defaultModel(await project()).catch((e) => e)
    expect(err).toBeInstanceOf(NoModelError)
    expect(err.message).toContain("opencode.json")
    expect(err.message).toContain("PUT /auth")
  })
})

describe("computeCost", () => {
  test("prices are per 1M tokens, reasoning at the output rate, cache at its own", async () => {
    const instance = await project(mockProviderConfig(llm.url, { model: { cost: { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 } } }))
    const { info } = await getModel(instance, { providerID: "mock", modelID: "mock-model" })
    const cost = computeCost(info, { input: 1_000_000, output: 100_000, reasoning: 100_000, cacheRead: 1_000_000, cacheWrite: 1_000 })
    expect(cost).toBeCloseTo(3 + 3 + 0.3 + 0.00375, 10)
    expect(computeCost(info, { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 })).toBe(0)
  })
})
