// What a summary request costs, in one run, on a 200-message session built through the real
// loop (66 turns of prompt → `read` tool step → text answer, plus one plain exchange):
//   transcript  POST /session/:id/summarize as it is now: one user message holding the
//               conversation as text (long tool outputs shortened) and the question
//   baseline    the request the old way made from the same stored history: every turn
//               replayed as chat messages (tool calls, full results), then the question;
//               built with the same domain functions and sent through the same provider
// Tokens are o200k (gpt-tokenizer) of the request's non-system messages as sent on the wire.
//
//   bun bench/compaction.ts     prints the figures and saves bench/results/compaction.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { benchRoot } from "./bench-root"

benchRoot("ocb-bench-compaction-")

const { startServer } = await import("../src/server/server")
const { startMockLLM, mockProviderConfig } = await import("../test/helpers/mock-llm")
const { modelView } = await import("../src/session/compaction-view")
const { buildMessages } = await import("../src/session/prompt/build-messages")
const { createOpencodeClient } = await import("@opencode-ai/sdk")
const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible")
const { streamText } = await import("ai")
const { encode } = await import("gpt-tokenizer")
const question = (await Bun.file(path.join(import.meta.dir, "../src/session/text/compaction-question.txt")).text()).trim()

const TURNS = 66
const FILES = 20

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}

const llm = await startMockLLM()
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-compaction-proj-"))
fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(mockProviderConfig(llm.url, { extra: { agent: { title: { disable: true } }, snapshot: false } })))
// Source-like files of about 4 kB each, so each `read` returns what a real one would.
for (let f = 0; f < FILES; f++) {
  const body = Array.from({ length: 110 }, (_, i) => `export function handler${f}_${i}(input: Request): Promise<Response> { return route(input, "${f}/${i}") }`)
  fs.writeFileSync(path.join(dir, `module-${f}.ts`), body.join("\n") + "\n")
}
const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: dir })
const c = createOpencodeClient({ baseUrl: server.url.origin, directory: dir })
const s = (await c.session.create({ body: {} })).data!

const answer = (i: number) =>
  `module-${i % FILES}.ts exports 110 small handlers that all delegate to route() with their own path. ` +
  `Handler ${i} is the one you asked about; it takes a Request and returns the promise route() gives back, so error handling lives in route().`
for (let i = 0; i < TURNS; i++) {
  llm.enqueue({ toolCalls: [{ name: "read", args: { filePath: `module-${i % FILES}.ts` } }] }, { text: answer(i) })
  const r = await c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "text", text: `What does handler ${i} in module-${i % FILES}.ts do?` }] } })
  if (r.error || (r.data!.info as any).error) throw new Error("turn failed: " + JSON.stringify(r.error ?? (r.data!.info as any).error))
}
llm.enqueue({ text: "Nothing else changed." })
await c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "text", text: "Anything else?" }] } })
const count = (await c.session.messages({ path: { id: s.id } })).data!.length

const conversationTokens = (body: any) => encode(JSON.stringify(body.messages.filter((m: any) => m.role !== "system"))).length

llm.enqueue({ text: "SUMMARY: the user walked through the handlers of twenty modules." })
const t0 = performance.now()
const done = await c.session.summarize({ path: { id: s.id }, body: { providerID: "mock", modelID: "mock-model" } })
const summarizeMs = performance.now() - t0
if (done.error) throw new Error("summarize failed: " + JSON.stringify(done.error))
const now = llm.requests.at(-1)

// The old request, from the stored history the summary was made from.
const all = (await c.session.messages({ path: { id: s.id } })).data! as any[]
const history = all.slice(0, -1)
const target = history.at(-1).info
const view = modelView(history, target)
const modelInfo = { capabilities: { input: { image: true, pdf: true }, attachment: true } } as any
const oldMessages = [...buildMessages(view.history, view.current, modelInfo), { role: "user" as const, content: question }]
llm.enqueue({ text: "SUMMARY (baseline)" })
const provider = createOpenAICompatible({ name: "mock", baseURL: llm.url, apiKey: "test-key" })
const stream = streamText({ model: provider.chatModel("mock-model"), system: now.messages[0].content, messages: oldMessages })
await stream.text
const old = llm.requests.at(-1)

const newTokens = conversationTokens(now)
const oldTokens = conversationTokens(old)
say("# opencode-bun compaction request benchmark")
say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, load average ${os.loadavg()[0].toFixed(1)}`)
say(`session of ${count} messages (${TURNS} turns with a read of a ~4 kB file, 1 plain exchange); o200k tokens of the summary request's messages`)
say()
say(`transcript (now)        ${String(newTokens).padStart(7)} tokens in ${now.messages.length - 1} message   ${JSON.stringify(now.messages).length} bytes`)
say(`chat replay (old way)   ${String(oldTokens).padStart(7)} tokens in ${old.messages.length - 1} messages   ${JSON.stringify(old.messages).length} bytes`)
say(`ratio                   ${(newTokens / oldTokens).toFixed(2)}x the old way   (target ≤ 1.00: ${newTokens <= oldTokens ? "met" : "MISSED"})`)
say(`POST /summarize on that session: ${summarizeMs.toFixed(0)} ms against the instant mock`)

await server.stop()
await llm.stop()
fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results", "compaction.txt"), lines.join("\n") + "\n")
fs.rmSync(dir, { recursive: true, force: true })
process.exit(0)
