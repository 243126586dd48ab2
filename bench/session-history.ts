// Loading a long session: GET /session/:id/message for 2,000 messages / 20,000 parts
// (user prompts, and replies with reasoning, text, tool calls with output, step markers),
// against the plain SQLite read of the same rows in the same run. Two histories: tool
// outputs of 5 lines (light) and of 30 lines (heavy), as the size of a part drives the cost.
//
//   bun bench/session-history.ts   prints the figures and saves bench/results/session-history.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { benchRoot } from "./bench-root"

const root = benchRoot("ocb-bench-history-")

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

// Half prompts with 2 parts, half replies with 18: 10 parts per message on average.
function fill(session: { id: string }, outputLines: number) {
  const words = "the quick brown fox jumps over the lazy dog while the build runs its tests again ".repeat(4)
  const output = Array.from({ length: outputLines }, (_, i) => `${String(i + 1).padStart(6)}\tconst value${i} = compute(${i}) // ${words.slice(0, 40)}`).join("\n")
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

say("# opencode-bun session history benchmark")
say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, load average ${os.loadavg()[0].toFixed(1)}`)
say(`${MESSAGES} messages, ${PARTS} parts; median of ${RUNS} runs; the GET reads the whole body as text`)

for (const [name, outputLines] of [["light", 5], ["heavy", 30]] as const) {
  const session = Sessions.create(instance, { title: name })
  const t0 = performance.now()
  const parts = fill(session, outputLines)
  const fillMs = performance.now() - t0
  if (parts !== PARTS) throw new Error(`expected ${PARTS} parts, made ${parts}`)

  const url = `${server.url.origin}/session/${session.id}/message?directory=${encodeURIComponent(dir)}`
  const httpGet = async () => {
    const t = performance.now()
    const body = await (await fetch(url)).text()
    return { ms: performance.now() - t, bytes: body.length, body }
  }
  const sqlRead = () => {
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
  const httpMs = median(http)
  const sqlMs = median(sql)
  say()
  say(`${name}: ${(check.bytes / 1048576).toFixed(1)} MB of JSON (stored in ${fillMs.toFixed(0)} ms, one transaction)`)
  say(`  plain SQLite read of the rows         ${sqlMs.toFixed(1).padStart(6)} ms`)
  say(`  GET /session/:id/message, full body   ${httpMs.toFixed(1).padStart(6)} ms  ${(httpMs / sqlMs).toFixed(1)}x the SQLite read  target < ${TARGET_MS} ms: ${httpMs < TARGET_MS ? "met" : "MISSED"}`)
}

await server.stop()
fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results", "session-history.txt"), lines.join("\n") + "\n")
fs.rmSync(dir, { recursive: true, force: true })
process.exit(0)
