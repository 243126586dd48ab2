import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { createOpenAICompatible } from "@ai-sdk/openai-compatible"
import { generateText, jsonSchema, streamText, tool } from "ai"
import { startMockLLM, type MockLLM } from "../helpers/mock-llm"

let llm: MockLLM
beforeAll(async () => {
  llm = await startMockLLM()
})
afterAll(() => llm.stop())

const model = () =>
  createOpenAICompatible({ name: "mock", baseURL: llm.url, apiKey: "k", includeUsage: true }).chatModel("mock-model")

async function collect(result: { fullStream: AsyncIterable<any> }) {
  const parts: any[] = []
  // A dropped connection makes the AI SDK throw out of the stream rather than emit an error part.
  try {
    for await (const p of result.fullStream) parts.push(p)
  } catch (error) {
    parts.push({ type: "thrown", error })
  }
  return parts
}

describe("mock LLM", () => {
  test("streams text in deltas with usage", async () => {
    llm.enqueue({ text: "hello there world", usage: { prompt_tokens: 7, completion_tokens: 3 } })
    const parts = await collect(streamText({ model: model(), prompt: "hi" }))
    const deltas = parts.filter((p) => p.type === "text-delta").map((p) => p.text)
    expect(deltas).toEqual(["hello ", "there ", "world"])
    const finish = parts.find((p) => p.type === "finish")
    expect(finish.finishReason).toBe("stop")
    expect(finish.totalUsage.inputTokens).toBe(7)
    expect(finish.totalUsage.outputTokens).toBe(3)
    expect(llm.requests.at(-1).messages.at(-1)).toEqual({ role: "user", content: "hi" })
    expect(llm.headers.at(-1)?.authorization).toBe("Bearer k")
  })

  test("streams reasoning and tool calls with arguments in pieces", async () => {
    llm.enqueue({ reasoning: "think first", toolCalls: [{ name: "echo", args: { value: "x" }, id: "call_1" }] })
    const parts = await collect(
      streamText({
        model: model(),
        prompt: "go",
        tools: { echo: tool({ inputSchema: jsonSchema<{ value: string }>({ type: "object", properties: { value: { type: "string" } } }) }) },
      }),
    )
    expect(parts.filter((p) => p.type === "reasoning-delta").map((p) => p.text).join("")).toBe("think first")
    const call = parts.find((p) => p.type === "tool-call")
    expect(call).toMatchObject({ toolCallId: "call_1", toolName: "echo", input: { value: "x" } })
    expect(parts.filter((p) => p.type === "tool-input-delta").length).toBeGreaterThan(1)
    expect(parts.find((p) => p.type === "finish").finishReason).toBe("tool-calls")
  })

  test("function steps see the request; non-streaming answers JSON", async () => {
    llm.enqueue((body) => ({ text: `you said ${body.messages.at(-1).content}` }))
    const r = await generateText({ model: model(), prompt: "ping" })
    expect(r.text).toBe("you said ping")
    expect(llm.requests.at(-1).stream).toBeFalsy()
  })

  test("scripted errors carry status and headers", async () => {
    llm.enqueue({ error: { status: 429, headers: { "retry-after": "0" } } })
    const parts = await collect(streamText({ model: model(), prompt: "x", maxRetries: 0, onError: () => {} }))
    const err = parts.find((p) => p.type === "error")?.error
    expect(err.statusCode).toBe(429)
    expect(err.responseHeaders["retry-after"]).toBe("0")
  })

  test("an empty queue fails loudly", async () => {
    const res = await fetch(llm.url + "/chat/completions", { method: "POST", body: "{}" })
    expect(res.status).toBe(500)
    expect(await res.text()).toContain("mock: no scripted response")
  })

  test("a broken stream surfaces as an error after partial text", async () => {
    llm.enqueue({ broken: true, text: "partial" })
    const parts = await collect(streamText({ model: model(), prompt: "x", maxRetries: 0, onError: () => {} }))
    expect(parts.filter((p) => p.type === "text-delta").map((p) => p.text).join("")).toBe("partial")
    expect(String(parts.at(-1).error)).toContain("Failed to process successful response")
  })

  test("a hang lasts until the client aborts", async () => {
    llm.enqueue({ hang: true, text: "wait" })
    const abort = new AbortController()
    const parts: any[] = []
    const started = performance.now()
    const result = streamText({ model: model(), prompt: "x", abortSignal: abort.signal })
    for await (const p of result.fullStream) {
      parts.push(p)
      if (p.type === "text-delta") setTimeout(() => abort.abort(), 50)
    }
    expect(parts.some((p) => p.type === "abort" || p.type === "error")).toBe(true)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  test("stop() ends hanging responses instead of waiting for them", async () => {
    const other = await startMockLLM()
    other.enqueue({ hang: true })
    const res = await fetch(other.url + "/chat/completions", { method: "POST", body: JSON.stringify({ stream: true }) })
    const reading = res.text().catch((e) => e)
    const started = performance.now()
    await other.stop()
    expect(await reading).toBeInstanceOf(Error)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
