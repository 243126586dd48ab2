// Issue 15's three defects, checked on the compiled executable where they were found: a client
// resuming after kill -9 and a restart is told and then hears new events; malformed bodies are
// refused; PATCH /config writes no key that is not a setting.
import { afterAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { binaryPath, hostPlatform } from "../../build"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { staleReason } from "./fresh"
import { reap, spawnServe, type ServeProcess } from "../cli/serve-process"

const platform = hostPlatform()
const bin = platform && binaryPath(platform)
const missing = !platform ? `no build target for ${process.platform}-${process.arch}` : staleReason(bin!)
const running: ServeProcess[] = []
afterAll(() => reap(running))

async function serve(project: string, dataDir: string) {
  const s = await spawnServe([bin!, "serve", "--port", "0"], { cwd: project, env: { OPENCODE_BUN_DATA_DIR: dataDir } })
  running.push(s)
  return s
}

const send = (base: string, dir: string, method: string, route: string, body: string) =>
  fetch(base + route, { method, headers: { "content-type": "application/json", "x-opencode-directory": dir }, body })

if (missing) test.skip(`the compiled binary (skipped: ${missing}; run: bun build.ts --target current)`, () => {})
else
  test("compiled binary: malformed bodies and non-settings refused; after kill -9 a resumed client is told, then hears new events", async () => {
    const project = tmpdir()
    const dataDir = tmpdir("data-")
    fs.writeFileSync(path.join(project, "opencode.json"), `{ "username": "u" }\n`)
    const first = await serve(project, dataDir)
    const c = createOpencodeClient({ baseUrl: first.base, directory: project })

    for (const [method, route] of [["POST", "/session"], ["POST", "/pty"], ["PATCH", "/config"]])
      for (const body of ["null", '{"soak": ', "[1]"]) expect((await send(first.base, project, method, route, body)).status).toBe(400)
    const config = await send(first.base, project, "PATCH", "/config", JSON.stringify({ bar_unknown: { x: 1 }, constructor: { prototype: { polluted: "x" } } }))
    expect(config.status).toBe(400)
    expect(fs.readFileSync(path.join(project, "opencode.json"), "utf8")).toBe(`{ "username": "u" }\n`)
    expect((await c.session.list()).data).toEqual([])
    expect((await c.pty.list()).data).toEqual([])

    const sse = sseReader(await fetch(`${first.base}/event?directory=${encodeURIComponent(project)}`))
    await sse.next(() => true)
    for (let i = 0; i < 5; i++) await c.session.create({ body: { title: `before ${i}` } })
    const last = await sse.next((e) => e.data.type === "session.created" && e.data.properties.info.title === "before 4")
    sse.cancel()
    first.proc.kill("SIGKILL")
    await first.proc.exited

    const second = await serve(project, dataDir)
    const resumed = sseReader(await fetch(`${second.base}/event?directory=${encodeURIComponent(project)}`, { headers: { "Last-Event-ID": last.id! } }))
    const hello = await resumed.next(() => true)
    expect(hello.data.type).toBe("server.connected")
    const told = await resumed.next((e) => e !== hello)
    expect(told.data).toEqual({ type: "server.resync", properties: { reason: "restarted", lastEventID: last.id } })
    const after = (await createOpencodeClient({ baseUrl: second.base, directory: project }).session.create({ body: { title: "after" } })).data!
    await resumed.next((e) => e.data.type === "session.created" && e.data.properties.info.id === after.id)
    resumed.cancel()
    await second.signal("SIGTERM")
  }, 30_000)
