// What plugins cost the agent loop, in one run:
//   none      a 50-step loop (49 `read` tool calls, then text) in a project without plugins
//   hooked    the same loop with a plugin registering every hook the loop calls, each a no-op
//             (chat.params/headers, system and message transforms, tool.definition,
//             tool.execute.before/after, text.complete, event), plus a custom tool file
// and how long a directory's plugins take to load (first GET /experimental/plugin).
//
//   bun bench/plugin-hooks.ts     prints the figures and saves bench/results/plugin-hooks.txt
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { benchRoot } from "./bench-root"

benchRoot("ocb-bench-plugins-", { OPENCODE_BUN_CACHE_DIR: "cache" })

const { startServer } = await import("../src/server/server")
const { startMockLLM, mockProviderConfig } = await import("../test/helpers/mock-llm")
const { createOpencodeClient } = await import("@opencode-ai/sdk")

const STEPS = 50
const ROUNDS = 9

const HOOKS = ["chat.params", "chat.headers", "experimental.chat.system.transform", "experimental.chat.messages.transform", "tool.definition", "tool.execute.before", "tool.execute.after", "experimental.text.complete", "event"]
const PLUGIN = `export const Noop = async () => ({ ${HOOKS.map((h) => `"${h}": async () => {}`).join(", ")} })\n`
const TOOL = `import { tool } from "@opencode-ai/plugin"\nexport default tool({ description: "echo", args: { s: tool.schema.string() }, async execute(a) { return a.s } })\n`

const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const llm = await startMockLLM()
function project(plugins: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-proj-"))
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(mockProviderConfig(llm.url, { extra: { agent: { title: { disable: true } }, snapshot: false } })))
  fs.writeFileSync(path.join(dir, "a.txt"), "line one\nline two\n")
  if (plugins) {
    fs.mkdirSync(path.join(dir, ".opencode/plugin"), { recursive: true })
    fs.mkdirSync(path.join(dir, ".opencode/tool"), { recursive: true })
    fs.writeFileSync(path.join(dir, ".opencode/plugin/noop.ts"), PLUGIN)
    fs.writeFileSync(path.join(dir, ".opencode/tool/echo.ts"), TOOL)
  }
  return dir
}
const dirs = { none: project(false), hooked: project(true) }
const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: dirs.none })

const loadStart = performance.now()
const status = (await (await fetch(`${server.url.origin}/experimental/plugin?directory=${encodeURIComponent(dirs.hooked)}`)).json()) as any[]
const loadMs = performance.now() - loadStart
if (status.length !== 2 || status.some((s) => s.status !== "loaded")) throw new Error("plugins did not load: " + JSON.stringify(status))

async function loop(dir: string) {
  const c = createOpencodeClient({ baseUrl: server.url.origin, directory: dir })
  const s = (await c.session.create({ body: {} })).data!
  for (let i = 0; i < STEPS - 1; i++) llm.enqueue({ toolCalls: [{ name: "read", args: { filePath: "a.txt" } }] })
  llm.enqueue({ text: "done" })
  const t0 = performance.now()
  const r = await c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "text", text: "go" }] } })
  const ms = performance.now() - t0
  if (r.error || (r.data!.info as any).error) throw new Error("loop failed: " + JSON.stringify(r.error ?? (r.data!.info as any).error))
  return ms
}

say("# opencode-bun plugin hooks benchmark")
say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, load average ${os.loadavg()[0].toFixed(1)}`)
say(`${STEPS}-step loop without plugins vs with a plugin holding ${HOOKS.length} no-op hooks and a custom tool; median of ${ROUNDS} rounds`)
say()
await loop(dirs.none)
await loop(dirs.hooked)
const t = { none: [] as number[], hooked: [] as number[] }
for (let i = 0; i < ROUNDS; i++) {
  t.none.push(await loop(dirs.none))
  t.hooked.push(await loop(dirs.hooked))
}
const none = median(t.none)
const hooked = median(t.hooked)
say(`without plugins   ${none.toFixed(0)} ms  (${(none / STEPS).toFixed(2)} ms/step)`)
say(`with hooks        ${hooked.toFixed(0)} ms  (${(hooked / STEPS).toFixed(2)} ms/step)`)
say(`ratio             ${(hooked / none).toFixed(2)}x  (+${((hooked - none) / STEPS).toFixed(2)} ms/step)`)
say(`plugin load       ${loadMs.toFixed(0)} ms  (first GET /experimental/plugin: one plugin file and one tool file)`)

fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results/plugin-hooks.txt"), lines.join("\n") + "\n")
await server.stop()
await llm.stop()
