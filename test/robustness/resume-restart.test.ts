import { afterAll, expect, test } from "bun:test"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { reap, type ServeProcess } from "../cli/serve-process"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { childServer } from "./lib"

// A client that keeps the Last-Event-ID of a server that then crashed or was restarted, and
// reconnects to the new process on the same data: it is told its history is gone, then hears
// everything new. The new process used to number from 1 again, so the old id looked newer
// than all it sent and the client heard nothing at all.

const procs: ServeProcess[] = []
afterAll(() => reap(procs))

const payload = (e: { data: any }) => e.data.payload ?? e.data

async function lastIdBefore(stop: (p: ServeProcess) => Promise<unknown>, project: string, dataDir: string) {
  const first = await childServer(project, dataDir, procs)
  const sse = sseReader(await fetch(`${first.base}/event?directory=${encodeURIComponent(project)}`))
  await sse.next(() => true)
  // Several events, so the old id's number is ahead of what the new process has reached.
  for (let i = 0; i < 5; i++) await first.sdk(project).session.create({ body: { title: `before ${i}` } })
  const last = await sse.next((e) => e.data.type === "session.created" && e.data.properties.info.title === "before 4")
  sse.cancel()
  await stop(first)
  return last.id!
}

async function expectToldThenLive(base: string, route: string, lastEventID: string, project: string) {
  const c = createOpencodeClient({ baseUrl: base, directory: project })
  const sse = sseReader(await fetch(base + route, { headers: { "Last-Event-ID": lastEventID } }))
  const hello = await sse.next(() => true)
  expect(payload(hello).type).toBe("server.connected")
  const told = await sse.next((e) => e !== hello)
  expect(payload(told).type).toBe("server.resync")
  expect(payload(told).properties).toEqual({ reason: "restarted", lastEventID })
  const created = (await c.session.create({ body: { title: "after the restart" } })).data!
  const next = await sse.next((e) => payload(e).type === "session.created" && payload(e).properties.info.id === created.id)
  expect(next.id).not.toBe(lastEventID)
  sse.cancel()
  // The sessions made before are still there: the client reloads them after the resync.
  const titles = (await c.session.list()).data!.map((s) => s.title)
  expect(titles).toContain("before 4")
}

test("kill -9, then a restart on the same data: a client with the pre-crash id is told, then hears new events", async () => {
  const project = tmpdir()
  const dataDir = tmpdir("data-")
  const id = await lastIdBefore(async (p) => {
    p.proc.kill("SIGKILL")
    await p.proc.exited
  }, project, dataDir)
  const second = await childServer(project, dataDir, procs)
  await expectToldThenLive(second.base, `/event?directory=${encodeURIComponent(project)}`, id, project)
  await expectToldThenLive(second.base, "/global/event", id, project)
  await second.signal("SIGTERM")
}, 30_000)

test("SIGTERM, then a restart on the same data: the same on /event and /global/event", async () => {
  const project = tmpdir()
  const dataDir = tmpdir("data-")
  const id = await lastIdBefore(async (p) => expect((await p.signal("SIGTERM")).code).toBe(0), project, dataDir)
  const second = await childServer(project, dataDir, procs)
  await expectToldThenLive(second.base, `/event?directory=${encodeURIComponent(project)}`, id, project)
  await expectToldThenLive(second.base, "/global/event", id, project)
  await second.signal("SIGTERM")
}, 30_000)
