// Loading a long session: GET /session/:id/message for 2,000 messages / 20,000 parts
// (user prompts, and replies with reasoning, text, tool calls with output, step markers),
// against the plain SQLite read of the same rows in the same run.
//
//   bun bench/session-history.ts   prints the figures and saves bench/results/session-history.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-history-"))
process.env.OPENCODE_BUN_DATA_DIR = path.join(root, "data")
process.env.OPENCODE_CONFIG_DIR = path.join(root, "config")
process.env.OPENCODE_LOG_LEVEL = "error"

const { startServer } = await import("../src/server/server")
const { getInstance } = await import("../src/project/instance")
const Sessions = await import("../src/session/session")
const Store = await import("../src/session/message-store")
const { database } = await import("../src/storage/db")
const { ascending } = await import("../src/util/id")

const MESSAGES = 2_000
const PARTS = 20_000
const RUNS = 9
const TARGET_MS = 150

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-proj-"))
const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: dir })
const instance = await getInstance(dir)
const session = Sessions.create(instance, { title: "long" })

// Half prompts with 2 parts, half replies with 18: 10 parts per message on average.
function fill() {
  const words = "the quick brown fox jumps over the lazy dog while the build runs its tests again ".repeat(4)
  const output = Array.from({ length: 30 }, (_, i) => `${String(i + 1).padStart(6)}\tconst value${i} = compute(${i}) // ${words.slice(0, 40)}`).join("\n")
  const now = Date.now()
  let parts = 0
  Store.batch(() => {
    let userID = ""
    for (let i = 0; i < MESSAGES; i++) {
      const id = ascending("message")
      const base = { sessionID: session.id, messageID: id }
      if (i % 2 === 0) {
        userID = id
        Store.putWithParts(
          { id, sessionID: session.id, role: "user", time: { created: now }, agent: "build", model: { providerID: "anthropic", modelID: "claude-sonnet-4-5" } },
          [
            { ...base, id: ascending("part"), type: "text", text: `Request ${i}: ${words}` },
            { ...base, id: ascending("part"), type: "text", text: "context", synthetic: true },
          ],
        )
        parts += 2
        continue
      }
      const tools = Array.from({ length: 12 }, (_, k) => ({
        ...base,
        id: ascending("part"),
        type: "tool" as const,
        callID: `call_${i}_${k}`,
        tool: "read",
        state: { status: "completed" as const, input: { filePath: `src/file${k}.ts` }, output, title: `src/file${k}.ts`, metadata: { lines: 30, truncated: false }, time: { start: now, end: now } },
      }))
      const tokens = { input: 1200, output: 300, reasoning: 50, cache: { read: 9000, write: 0 } }
      Store.putWithParts(
        { id, sessionID: session.id, role: "assistant", time: { created: now, completed: now }, parentID: userID, modelID: "claude-sonnet-4-5", providerID: "anthropic", mode: "build", path: { cwd: dir, root: dir }, cost: 0.01, tokens, finish: "tool-calls" },
        [
          { ...base, id: ascending("part"), type: "step-start", snapshot: "4b825dc642cb6eb9a060e54bf8d69288fbee4904" },
          { ...base, id: ascending("part"), type: "reasoning", text: `Thinking about step ${i}. ${words}`, time: { start: now, end: now } },
          { ...base, id: ascending("part"), type: "text", text: `Working on it: ${words}`, time: { start: now, end: now } },
          ...tools,
          { ...base, id: ascending("part"), type: "patch", hash: "4b825dc642cb6eb9a060e54bf8d69288fbee4904", files: [path.join(dir, "src/file1.ts")] },
          { ...base, id: ascending("part"), type: "text", text: "Done with this part.", time: { start: now, end: now } },
          { ...base, id: ascending("part"), type: "step-finish", reason: "tool-calls", cost: 0.01, tokens },
        ],
      )
      parts += 18
    }
  })
  return parts
}

const t0 = performance.now()
const parts = fill()
const fillMs = performance.now() - t0
if (parts !== PARTS) throw new Error(`expected ${PARTS} parts, made ${parts}`)

const url = `${server.url.origin}/session/${session.id}/message?directory=${encodeURIComponent(dir)}`
async function httpGet() {
  const t = performance.now()
  const r = await fetch(url)
  const body = await r.text()
  return { ms: performance.now() - t, bytes: body.length, body }
}
function sqlRead() {
  const t = performance.now()
  const d = database()
  const m = d.query("SELECT id, data FROM message WHERE session_id = ? ORDER BY id").all(session.id)
  const p = d.query("SELECT message_id, data FROM part WHERE session_id = ? ORDER BY message_id, id").all(session.id)
  if (m.length !== MESSAGES || p.length !== PARTS) throw new Error("row count")
  return performance.now() - t
}

const check = await httpGet()
const parsed = JSON.parse(check.body)
if (parsed.length !== MESSAGES || parsed.reduce((n: number, m: any) => n + m.parts.length, 0) !== PARTS) throw new Error("incomplete history")

const http: number[] = []
const sql: number[] = []
for (let i = 0; i < RUNS; i++) {
  sql.push(sqlRead())
  http.push((await httpGet()).ms)
}
if (process.env.BENCH_PHASES) {
  const Msg = await import("../src/session/message")
  const ph: number[] = []
  for (let i = 0; i < 5; i++) { const t = performance.now(); const j = Msg.listJSON(session.id); ph.push(performance.now() - t); if (!j) throw 0 }
  console.log("listJSON", median(ph).toFixed(1))
  const enc: number[] = []
  const j = Msg.listJSON(session.id)
  for (let i = 0; i < 5; i++) { const t = performance.now(); new TextEncoder().encode(j); enc.push(performance.now() - t) }
  console.log("encode", median(enc).toFixed(1))
  const blob: number[] = []
  for (let i = 0; i < 5; i++) { const t = performance.now(); database().query("SELECT message_id, CAST(data AS BLOB) AS data FROM part WHERE session_id = ? ORDER BY message_id, id").all(session.id); blob.push(performance.now() - t) }
  console.log("blob parts read", median(blob).toFixed(1))
  const raw = Store.listRaw
  const alt = Bun.serve({ port: 0, fetch(req) {
    const msgs = raw(session.id)
    if (req.url.endsWith("/string")) return new Response(Store.listJSON(session.id), { headers: { "content-type": "application/json" } })
    let i = 0
    const enc = new TextEncoder()
    return new Response(new ReadableStream({ type: "direct", pull(c: any) {
      c.write("[")
      for (; i < msgs.length; i++) c.write((i ? "," : "") + `{"info":${msgs[i].data},"parts":[${msgs[i].parts.join(",")}]}`)
      c.write("]")
      c.close()
    } } as any), { headers: { "content-type": "application/json" } })
  } })
  for (const kind of ["string", "stream", "string", "stream"]) {
    const xs: number[] = []
    let len = 0
    for (let i = 0; i < 7; i++) { const t = performance.now(); const b = await (await fetch(`${alt.url.origin}/${kind}`)).text(); len = b.length; xs.push(performance.now() - t) }
    console.log(kind, median(xs).toFixed(1), len)
  }
  alt.stop(true)
}
const httpMs = median(http)
const sqlMs = median(sql)

say("# opencode-bun session history benchmark")
say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, load average ${os.loadavg()[0].toFixed(1)}`)
say(`${MESSAGES} messages, ${PARTS} parts, ${(check.bytes / 1048576).toFixed(1)} MB of JSON (stored in ${fillMs.toFixed(0)} ms, one transaction)`)
say()
say(`plain SQLite read of the rows         ${sqlMs.toFixed(1).padStart(6)} ms  (median of ${RUNS})`)
say(`GET /session/:id/message, full body   ${httpMs.toFixed(1).padStart(6)} ms  ${(httpMs / sqlMs).toFixed(1)}x the SQLite read  target < ${TARGET_MS} ms: ${httpMs < TARGET_MS ? "met" : "MISSED"}`)

await server.stop()
fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results", "session-history.txt"), lines.join("\n") + "\n")
fs.rmSync(root, { recursive: true, force: true })
fs.rmSync(dir, { recursive: true, force: true })
process.exit(0)
