// A real loopback HTTP server speaking the OpenAI chat-completions protocol, scripted per
// request. Tests reach it through the real provider code, so what they exercise is what a
// user's Ollama / vLLM / OpenRouter endpoint would see.

import http from "node:http"
import type { AddressInfo } from "node:net"

export type MockToolCall = { name: string; args: Record<string, unknown>; id?: string }
export type MockUsage = { prompt_tokens: number; completion_tokens: number; [k: string]: unknown }

type Common = {
  /** Splits `text` into this many deltas (default: one delta per word). */
  chunks?: number
  /** Milliseconds to wait between streamed chunks (default 0). */
  delay?: number
  /** Streams chunks at this many per second by the clock (timers are too coarse for `delay` under 2 ms). */
  perSecond?: number
  usage?: MockUsage
}

export type MockStep =
  | (Common & { text: string; reasoning?: string; toolCalls?: MockToolCall[] })
  | (Common & { reasoning: string; text?: string; toolCalls?: MockToolCall[] })
  | (Common & { toolCalls: MockToolCall[]; text?: string; reasoning?: string })
  | (Common & { usage: MockUsage; text?: string })
  | { error: { status: number; body?: unknown; headers?: Record<string, string> } }
  | { hang: true; text?: string }
  /** Accepts the request and never answers, not even headers. */
  | { silent: true }
  | { broken: true; text?: string; toolCalls?: MockToolCall[] }

export type MockStepInput = MockStep | ((body: any) => MockStep | Promise<MockStep>)

export type MockLLM = {
  /** Base URL ending in /v1, as providers expect it. */
  url: string
  enqueue: (...steps: MockStepInput[]) => void
  /** Parsed JSON bodies received, in order. */
  requests: any[]
  /** Request headers (lower-cased names), parallel to `requests`. */
  headers: Record<string, string>[]
  /** Request paths, parallel to `requests` (…/chat/completions or …/responses). */
  paths: string[]
  /** Steps still waiting to be served. */
  pending: () => number
  /** What `GET …/models` answers ({data: list}); 404 while unset. */
  setModels: (list: unknown[] | undefined) => void
  stop: () => Promise<void>
}

const MODEL = "mock-model"

// node:http rather than Bun.serve: only a raw socket lets a "broken" step drop the connection
// mid-body without Bun reporting the stream error as an uncaught test failure.
export async function startMockLLM(): Promise<MockLLM> {
  const queue: MockStepInput[] = []
  const requests: any[] = []
  const headers: Record<string, string>[] = []
  const paths: string[] = []
  let counter = 0
  let models: unknown[] | undefined

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mock")
    if (req.method === "GET" && url.pathname.endsWith("/models") && models) return json(res, 200, { data: models })
    const responsesApi = url.pathname.endsWith("/responses")
    if (req.method !== "POST" || !(url.pathname.endsWith("/chat/completions") || responsesApi))
      return json(res, 404, { error: { message: `mock: no route ${req.method} ${url.pathname}` } })
    const pieces: Buffer[] = []
    for await (const piece of req) pieces.push(piece)
    const raw = Buffer.concat(pieces).toString("utf8")
    let body: any
    try {
      body = JSON.parse(raw)
    } catch {
      return json(res, 400, { error: { message: "mock: body is not JSON" } })
    }
    requests.push(body)
    headers.push(Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])))
    paths.push(url.pathname)
    const next = queue.shift()
    if (!next) return json(res, 500, { error: { message: "mock: no scripted response", type: "mock_error" } })
    const step = typeof next === "function" ? await next(body) : next
    if (responsesApi) return respondResponses(res, step, `resp_mock_${++counter}`)
    await respond(res, step, body, `chatcmpl-mock-${++counter}`)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/v1`,
    enqueue: (...steps) => void queue.push(...steps),
    requests,
    headers,
    paths,
    pending: () => queue.length,
    setModels: (list) => void (models = list),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function json(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  res.writeHead(status, { "content-type": "application/json", ...extra })
  res.end(text)
}

async function respond(res: http.ServerResponse, step: MockStep, body: any, id: string) {
  if ("error" in step) {
    const { status, headers = {} } = step.error
    const errBody = step.error.body ?? { error: { message: `mock error ${status}`, type: "mock_error", code: status } }
    return json(res, status, errBody, headers)
  }
  if ("silent" in step) return
  const created = Math.floor(Date.now() / 1000)
  const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) =>
    sse({ id, object: "chat.completion.chunk", created, model: MODEL, choices: [{ index: 0, delta, finish_reason }] })

  if (!body.stream) {
    if ("hang" in step) return res.writeHead(200, { "content-type": "application/json" }).flushHeaders()
    if ("broken" in step) return drop(res, "application/json", '{"id":')
    return json(res, 200, completion(step, id))
  }
  const opening = chunk({ role: "assistant", content: "" })
  if ("hang" in step) {
    // Never ends: the response stays open until the client goes away (or stop()).
    res.writeHead(200, { "content-type": "text/event-stream" })
    res.write(opening + (step.text ? chunk({ content: step.text }) : ""))
    return
  }
  if ("broken" in step) {
    // Whatever was streamed (text, whole tool calls) arrives, then the connection drops before the finish.
    const calls = toolCalls(step.toolCalls, id).map((call, index) =>
      chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } }] }),
    )
    return drop(res, "text/event-stream", opening + (step.text ? chunk({ content: step.text }) : "") + calls.join(""))
  }

  const s = step as Common & { text?: string; reasoning?: string; toolCalls?: MockToolCall[] }
  const events: string[] = [opening]
  if (s.reasoning) for (const p of split(s.reasoning, s.chunks)) events.push(chunk({ reasoning_content: p }))
  if (s.text) for (const p of split(s.text, s.chunks)) events.push(chunk({ content: p }))
  const calls = toolCalls(s.toolCalls, id)
  calls.forEach((call, index) => {
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }))
    for (const p of split(call.function.arguments, 3, true))
      events.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }))
  })
  events.push(chunk({}, calls.length ? "tool_calls" : "stop"))
  if (body.stream_options?.include_usage)
    events.push(sse({ id, object: "chat.completion.chunk", created, model: MODEL, choices: [], usage: usage(s) }))
  events.push("data: [DONE]\n\n")

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
  const start = performance.now()
  for (const [i, e] of events.entries()) {
    if (res.destroyed) return
    if (s.delay && i > 0) await Bun.sleep(s.delay)
    if (s.perSecond) {
      // Behind schedule, chunks go out back to back until the stream has caught up.
      const wait = start + (i / s.perSecond) * 1000 - performance.now()
      if (wait >= 1) await Bun.sleep(wait)
    }
    res.write(e)
  }
  res.end()
}

// The OpenAI Responses API (what the ChatGPT Codex endpoint speaks), streamed: text steps and
// errors only, which is all the sign-in tests need.
function respondResponses(res: http.ServerResponse, step: MockStep, id: string) {
  if ("error" in step) return json(res, step.error.status, step.error.body ?? { error: { message: `mock error ${step.error.status}` } }, step.error.headers)
  const text = "text" in step && typeof step.text === "string" ? step.text : ""
  const created_at = Math.floor(Date.now() / 1000)
  const item = `msg_${id}`
  const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
  const message = (content: unknown[]) => ({ type: "message", id: item, role: "assistant", status: "completed", content })
  res.writeHead(200, { "content-type": "text/event-stream" })
  res.write(event("response.created", { response: { id, created_at, model: MODEL, status: "in_progress" } }))
  res.write(event("response.output_item.added", { output_index: 0, item: message([]) }))
  for (const delta of split(text)) res.write(event("response.output_text.delta", { item_id: item, output_index: 0, content_index: 0, delta }))
  res.write(event("response.output_item.done", { output_index: 0, item: message([{ type: "output_text", text, annotations: [] }]) }))
  res.end(event("response.completed", { response: { id, created_at, model: MODEL, status: "completed", incomplete_details: null, usage: { input_tokens: 10, output_tokens: 5 } } }))
}

// Sends what it has, then tears the socket down mid-body so the client sees a dropped stream.
function drop(res: http.ServerResponse, type: string, prefix: string) {
  res.writeHead(200, { "content-type": type })
  res.write(prefix)
  setTimeout(() => res.socket?.destroy(), 5)
}

function completion(step: MockStep, id: string) {
  const s = step as Common & { text?: string; reasoning?: string; toolCalls?: MockToolCall[] }
  const calls = toolCalls(s.toolCalls, id)
  return {
    id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: MODEL,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: s.text ?? null,
          ...(s.reasoning ? { reasoning_content: s.reasoning } : {}),
          ...(calls.length ? { tool_calls: calls } : {}),
        },
        finish_reason: calls.length ? "tool_calls" : "stop",
      },
    ],
    usage: usage(s),
  }
}

function toolCalls(calls: MockToolCall[] | undefined, id: string) {
  return (calls ?? []).map((c, i) => ({
    id: c.id ?? `call_${id.slice(-4)}_${i}`,
    type: "function" as const,
    function: { name: c.name, arguments: JSON.stringify(c.args) },
  }))
}

function usage(s: { text?: string; reasoning?: string; usage?: MockUsage }) {
  const u = s.usage ?? {
    prompt_tokens: 10,
    completion_tokens: Math.max(1, Math.ceil(((s.text?.length ?? 0) + (s.reasoning?.length ?? 0)) / 4)),
  }
  return { ...u, total_tokens: u.prompt_tokens + u.completion_tokens }
}

function split(text: string, n?: number, evenly = false): string[] {
  if (!text) return []
  if (!n && !evenly) return text.match(/\S+\s*|\s+/g) ?? [text]
  const count = Math.max(1, Math.min(n ?? 1, text.length))
  const size = Math.ceil(text.length / count)
  const out: string[] = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out
}

function sse(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`
}

/** An opencode config pointing the "mock" provider at the mock LLM; write it as opencode.json. */
export function mockProviderConfig(
  url: string,
  opts: { model?: Record<string, unknown>; options?: Record<string, unknown>; extra?: Record<string, unknown> } = {},
) {
  return {
    provider: {
      mock: {
        npm: "@ai-sdk/openai-compatible",
        name: "Mock",
        options: { baseURL: url, apiKey: "test-key", ...opts.options },
        models: {
          "mock-model": {
            name: "Mock Model",
            limit: { context: 100000, output: 8000 },
            cost: { input: 1, output: 2 },
            tool_call: true,
            reasoning: true,
            attachment: true,
            ...opts.model,
          },
        },
      },
    },
    model: "mock/mock-model",
    small_model: "mock/mock-model",
    ...opts.extra,
  }
}
