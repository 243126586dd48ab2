import { test, expect, afterAll } from "bun:test"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { FROM_SOURCE, spawnServe, reap, type ServeProcess } from "../cli/serve-process"
import { startMockLLM } from "../helpers/mock-llm"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { project, text } from "../helpers/harness"

const procs: ServeProcess[] = []
afterAll(() => reap(procs))

test("kill -9 mid-stream loses nothing already emitted; restart closes the reply with an error", async () => {
  const llm = await startMockLLM()
  const dir = project(llm, { files: { "a.txt": "alpha\n" } })
  const dataDir = tmpdir("data-")
  const serve = async () => {
    const p = await spawnServe([...FROM_SOURCE, "serve", "--port", "0"], { cwd: dir, env: { OPENCODE_BUN_DATA_DIR: dataDir } })
    procs.push(p)
    return p
  }

  const first = await serve()
  const c = createOpencodeClient({ baseUrl: first.base, directory: dir })
  const s = (await c.session.create({ body: {} })).data!
  const sse = sseReader(await fetch(`${first.base}/event?directory=${encodeURIComponent(dir)}`))
  llm.enqueue({ toolCalls: [{ name: "read", args: { filePath: "a.txt" } }] }, { hang: true, text: "streamed before the crash" })
  await c.session.promptAsync({ path: { id: s.id }, body: text("read a.txt") })
  // Once a part update is on the wire, it is on disk.
  await sse.next((e) => e.data.type === "message.part.updated" && e.data.properties.part.text === "streamed before the crash", 10_000)
  first.proc.kill("SIGKILL")
  await first.proc.exited
  sse.cancel()

  const second = await serve()
  const c2 = createOpencodeClient({ baseUrl: second.base, directory: dir })
  const history = (await c2.session.messages({ path: { id: s.id } })).data!
  expect(history.map((m) => m.info.role)).toEqual(["user", "assistant", "assistant"])
  const tool = history[1].parts.find((p) => p.type === "tool") as any
  expect(tool.state.status).toBe("completed")
  expect(tool.state.output).toContain("alpha")
  const last = history[2]
  const info = last.info as any
  expect(info.time.completed).toBeGreaterThan(0)
  expect(info.error.name).toBe("MessageAbortedError")
  expect(info.error.data.message).toContain("server stopped")
  const streamed = last.parts.find((p) => p.type === "text") as any
  expect(streamed.text).toBe("streamed before the crash")
  expect(streamed.time.end).toBeDefined()
  expect((await c2.session.status()).data).toEqual({})

  // The session works again after the restart.
  llm.enqueue({ text: "back" })
  const reply = (await c2.session.prompt({ path: { id: s.id }, body: text("still there?") })).data!
  expect(reply.parts.find((p) => p.type === "text")).toMatchObject({ text: "back" })
  await second.signal("SIGTERM")
  await llm.stop()
}, 30_000)
