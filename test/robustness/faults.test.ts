import { afterAll, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { mockProviderConfig } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"
import { assertSettled, text } from "./lib"

// Injected faults: each gives a clear error or a degraded mode that says so, and loses nothing.

// A "provider" that answers each chat request with the next scripted garbage.
const answers: Array<() => Response> = []
let provider: ReturnType<typeof Bun.serve>
let server: TestServer

const sseBody = (...lines: string[]) => new Response(lines.join(""), { headers: { "content-type": "text/event-stream" } })

beforeAll(async () => {
  provider = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () => (answers.shift() ?? (() => new Response("no script", { status: 500 })))(),
  })
  const dir = tmpdir("faults-")
  const config = mockProviderConfig(`http://127.0.0.1:${provider.port}/v1`, { extra: { agent: { title: { disable: true } } } })
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(config))
  server = await startTestServer({ directory: dir })
})
afterAll(async () => {
  await server.stop()
  provider.stop(true)
})

const GARBAGE: Record<string, () => Response> = {
  "an HTML page with status 200": () => new Response("<html><body>Gateway says hi</body></html>", { headers: { "content-type": "text/html" } }),
  "a stream of lines that are not JSON": () => sseBody("data: {not json\n\n", "data: ???\n\n", "data: [DONE]\n\n"),
  "a stream of JSON of the wrong shape": () => sseBody('data: {"hello":"world"}\n\n', 'data: {"choices":"nope"}\n\n', "data: [DONE]\n\n"),
  "an empty 200": () => new Response("", { headers: { "content-type": "text/event-stream" } }),
  "bytes that are not text": () => new Response(new Uint8Array([0xff, 0xfe, 0x00, 0x9c, 0x80, 0x01]), { headers: { "content-type": "text/event-stream" } }),
}

for (const [what, answer] of Object.entries(GARBAGE)) {
  test(`a provider answering ${what}: the reply ends with an error saying so, the session is settled and takes the next prompt`, async () => {
    const c = server.client
    const id = (await c.session.create({ body: {} })).data!.id
    answers.push(answer, answer, answer, answer, answer)
    const res = await c.session.prompt({ path: { id }, body: text("hello") })
    expect(res.response.status).toBe(200)
    const error = (res.data!.info as any).error
    expect(error).toBeDefined()
    expect(error.data.message.length).toBeGreaterThan(0)
    answers.length = 0
    await assertSettled(c, id)
    answers.push(() => sseBody(
      `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "mock-model", choices: [{ index: 0, delta: { role: "assistant", content: "fine now" }, finish_reason: null }] })}\n\n`,
      `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "mock-model", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
      "data: [DONE]\n\n",
    ))
    const next = await c.session.prompt({ path: { id }, body: text("again") })
    expect(next.data!.parts.find((p) => p.type === "text")).toMatchObject({ text: "fine now" })
  }, 30_000)
}
