import { test, expect } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { mockProviderConfig } from "../helpers/mock-llm"
import { tmpdir } from "../helpers/tmp"
import { useHarness, project, events, text } from "../helpers/harness"

const h = useHarness()

const SUMMARY_INSTRUCTIONS = "condensing a coding session"
const model = { providerID: "mock", modelID: "mock-model" }

async function session(dir: string) {
  const c = h.server.sdk(dir)
  const s = (await c.session.create({ body: {} })).data!
  return { c, s }
}

/** A project whose model has a small context window: 2,000 tokens, 500 of them kept for output. */
function smallContextProject(extra: Record<string, unknown> = {}) {
  const dir = tmpdir("compaction-")
  const config = mockProviderConfig(h.llm.url, { model: { limit: { context: 2000, output: 500 } }, extra: { agent: { title: { disable: true } }, ...extra } })
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(config))
  return dir
}

/** What the model was sent, without the system prompt. */
const conversation = (req: any) => req.messages.filter((m: any) => m.role !== "system")
const said = (m: any) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content))

test("summarize stores a summary; afterwards the model gets the summary instead of the earlier turns", async () => {
  const dir = project(h.llm)
  const { c, s } = await session(dir)
  h.llm.enqueue({ text: "Alpha answered." })
  await c.session.prompt({ path: { id: s.id }, body: text("first question about alpha") })

  const sse = await events(h.server, dir)
  h.llm.enqueue({ text: "SUMMARY: the user asked about alpha and got an answer." })
  const r = await c.session.summarize({ path: { id: s.id }, body: model })
  expect(r.error).toBeUndefined()
  expect(r.data).toBe(true)
  await sse.next((e) => e.data.type === "session.compacted" && e.data.properties.sessionID === s.id)
  sse.cancel()

  // The summary request: our instructions, then ONE user message holding the transcript and
  // the question, as opencode sends it (no replayed chat turns a model could act on).
  const req = h.llm.requests.at(-1)
  expect(req.messages[0].role).toBe("system")
  expect(said(req.messages[0])).toContain(SUMMARY_INSTRUCTIONS)
  expect(req.tools).toBeUndefined()
  const sent = conversation(req)
  expect(sent).toHaveLength(1)
  expect(sent[0].role).toBe("user")
  const body = said(sent[0])
  expect(body).toContain("<transcript>\n## User\nfirst question about alpha\n\n## Assistant\nAlpha answered.\n</transcript>")
  expect(body.indexOf("Summarize our conversation")).toBeGreaterThan(body.indexOf("</transcript>"))

  const history = (await c.session.messages({ path: { id: s.id } })).data!
  expect(history.map((m) => m.info.role)).toEqual(["user", "assistant", "user", "assistant"])
  expect(history[2].parts).toEqual([expect.objectContaining({ type: "compaction", auto: false })])
  const summary = history[3]
  expect(summary.info).toMatchObject({ role: "assistant", summary: true, mode: "compaction", parentID: history[2].info.id })
  expect((summary.info as any).error).toBeUndefined()
  expect(summary.parts.find((p) => p.type === "text")).toMatchObject({ text: "SUMMARY: the user asked about alpha and got an answer." })
  expect((await c.session.get({ path: { id: s.id } })).data!.time.compacting).toBeUndefined()

  h.llm.enqueue({ text: "Beta answered." })
  await c.session.prompt({ path: { id: s.id }, body: text("second question about beta") })
  const next = conversation(h.llm.requests.at(-1))
  expect(next.map((m: any) => m.role)).toEqual(["user", "assistant", "user"])
  expect(said(next[0])).toContain("Summarize our conversation")
  expect(said(next[1])).toContain("SUMMARY: the user asked about alpha")
  expect(said(next[2])).toContain("second question about beta")
  expect(JSON.stringify(next)).not.toContain("first question about alpha")
  expect(JSON.stringify(next)).not.toContain("Alpha answered.")
})

test("summarize: unknown session 404, unknown model 400, empty session 400, provider failure is an error", async () => {
  const dir = project(h.llm)
  const { c, s } = await session(dir)
  expect((await c.session.summarize({ path: { id: "ses_missing" }, body: model })).response.status).toBe(404)
  const empty = await c.session.summarize({ path: { id: s.id }, body: model })
  expect(empty.response.status).toBe(400)
  expect(JSON.stringify(empty.error)).toContain("no messages")
  h.llm.enqueue({ text: "hi" })
  await c.session.prompt({ path: { id: s.id }, body: text("hello") })
  const unknown = await c.session.summarize({ path: { id: s.id }, body: { providerID: "mock", modelID: "nope" } })
  expect(unknown.response.status).toBe(400)
  h.llm.enqueue({ error: { status: 400, body: { error: { message: "context too long for the summary" } } } })
  const failed = await c.session.summarize({ path: { id: s.id }, body: model })
  expect(failed.response.status).toBe(502)
  expect(JSON.stringify(failed.error)).toContain("context too long for the summary")
  // A failed summary is no boundary: the next turn still sees everything.
  h.llm.enqueue({ text: "ok" })
  await c.session.prompt({ path: { id: s.id }, body: text("again") })
  expect(JSON.stringify(conversation(h.llm.requests.at(-1)))).toContain("hello")
})

test("a step near the context limit compacts before the next step, which gets the summary and a note to carry on", async () => {
  const dir = smallContextProject()
  const { c, s } = await session(dir)
  h.llm.enqueue(
    { toolCalls: [{ name: "list", args: {} }], usage: { prompt_tokens: 1600, completion_tokens: 20 } },
    { text: "SUMMARY: listing done, next write the report." },
    { text: "Report written." },
  )
  const before = h.llm.requests.length
  const reply = (await c.session.prompt({ path: { id: s.id }, body: text("do the long task gamma") })).data!
  expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "Report written." })
  const [, summaryReq, nextReq] = h.llm.requests.slice(before)
  expect(said(summaryReq.messages[0])).toContain(SUMMARY_INSTRUCTIONS)
  expect(JSON.stringify(conversation(summaryReq))).toContain("do the long task gamma")
  const next = conversation(nextReq)
  expect(next.map((m: any) => m.role)).toEqual(["user", "assistant", "user"])
  expect(said(next[1])).toContain("SUMMARY: listing done")
  expect(said(next[2])).toContain("Carry on")
  expect(JSON.stringify(next)).not.toContain("do the long task gamma")

  const history = (await c.session.messages({ path: { id: s.id } })).data!
  const user = history[0]
  expect(user.parts.map((p) => p.type)).toEqual(["text", "compaction"])
  expect(user.parts[1]).toMatchObject({ auto: true })
  expect(history.filter((m) => (m.info as any).summary === true)).toHaveLength(1)
  expect(reply.info.role === "assistant" && reply.info.parentID).toBe(user.info.id)
})

test("a turn that ended near the limit compacts at the next prompt's start; that prompt follows the summary", async () => {
  const dir = smallContextProject()
  const { c, s } = await session(dir)
  h.llm.enqueue({ text: "A very long answer about delta.", usage: { prompt_tokens: 1700, completion_tokens: 40 } })
  await c.session.prompt({ path: { id: s.id }, body: text("tell me about delta") })
  h.llm.enqueue({ text: "SUMMARY: delta was explained." }, { text: "Epsilon answered." })
  const before = h.llm.requests.length
  await c.session.prompt({ path: { id: s.id }, body: text("now epsilon please") })
  const [summaryReq, nextReq] = h.llm.requests.slice(before)
  const summarized = JSON.stringify(conversation(summaryReq))
  expect(summarized).toContain("tell me about delta")
  expect(summarized).not.toContain("now epsilon please")
  const next = conversation(nextReq)
  expect(next.map((m: any) => m.role)).toEqual(["user", "assistant", "user"])
  expect(said(next[1])).toContain("SUMMARY: delta was explained.")
  expect(said(next[2])).toContain("now epsilon please")
  expect(JSON.stringify(next)).not.toContain("tell me about delta")
})

test("config compaction.auto: false never compacts", async () => {
  const dir = smallContextProject({ compaction: { auto: false } })
  const { c, s } = await session(dir)
  h.llm.enqueue({ toolCalls: [{ name: "list", args: {} }], usage: { prompt_tokens: 1900, completion_tokens: 20 } }, { text: "fine" })
  const before = h.llm.requests.length
  await c.session.prompt({ path: { id: s.id }, body: text("zeta") })
  expect(h.llm.requests.length - before).toBe(2)
  expect(said(h.llm.requests.at(-1).messages[0])).not.toContain(SUMMARY_INSTRUCTIONS)
})

test("old tool outputs beyond the newest ~40k tokens are pruned at a later turn's start", async () => {
  const dir = project(h.llm)
  const { c, s } = await session(dir)
  const big = (i: number) => ({ name: "bash", args: { command: `head -c 30000 /dev/zero | tr '\\0' ${"abcdefghi"[i]}`, description: `output ${i}` } })
  h.llm.enqueue({ toolCalls: Array.from({ length: 9 }, (_, i) => big(i)) }, { text: "Nine outputs read." })
  await c.session.prompt({ path: { id: s.id }, body: text("produce output") })
  h.llm.enqueue({ text: "second" })
  await c.session.prompt({ path: { id: s.id }, body: text("second turn") })
  expect(JSON.stringify(h.llm.requests.at(-1).messages)).not.toContain("cleared to save context")

  h.llm.enqueue({ text: "third" })
  await c.session.prompt({ path: { id: s.id }, body: text("third turn") })
  const results = h.llm.requests.at(-1).messages.filter((m: any) => m.role === "tool").map((m: any) => said(m))
  expect(results).toHaveLength(9)
  const cleared = results.filter((r: string) => r.includes("cleared to save context"))
  expect(cleared.length).toBeGreaterThanOrEqual(3)
  expect(cleared.length).toBeLessThan(9)
  // The newest outputs stay whole; the oldest are the ones cleared.
  expect(results.at(-1)).toContain("iiiiiiiiii")
  expect(results[0]).toContain("cleared to save context")
  const parts = (await c.session.messages({ path: { id: s.id } })).data!.flatMap((m) => m.parts).filter((p) => p.type === "tool") as any[]
  expect(parts.filter((p) => p.state.time.compacted).length).toBe(cleared.length)
  expect(parts.every((p) => p.state.output.length > 1000)).toBe(true)
})

test("summarize after tool calls: tools appear in the transcript as text, long outputs shortened, never as tool turns", async () => {
  const big = "x".repeat(10_000)
  const dir = project(h.llm, { files: { "big.txt": big } })
  const { c, s } = await session(dir)
  h.llm.enqueue({ toolCalls: [{ name: "read", args: { filePath: "big.txt" } }] }, { text: "It is all x." })
  await c.session.prompt({ path: { id: s.id }, body: text("what is in big.txt?") })
  h.llm.enqueue({ text: "SUMMARY: big.txt is all x." })
  expect((await c.session.summarize({ path: { id: s.id }, body: model })).data).toBe(true)
  const sent = conversation(h.llm.requests.at(-1))
  expect(sent.map((m: any) => m.role)).toEqual(["user"])
  const body = said(sent[0])
  expect(body).toContain('[tool read {"filePath":"big.txt"}]')
  expect(body).toContain("characters left out")
  expect(body).toContain("It is all x.")
  expect(body.length).toBeLessThan(5_000)
})
