import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader, seqOf } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { Bus } from "../../src/bus"

// A client whose Last-Event-ID cannot be resumed from is told so (server.resync) and then gets
// every new event: before, an id from an earlier process or a made-up one meant silence.

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s.stop())

const payload = (e: { data: any }) => e.data.payload ?? e.data

/** Connects with `lastEventID`, checks the hello and the resync, then that a new event arrives. */
async function expectResync(route: "/event" | "/global/event", lastEventID: string, reason: string) {
  const dir = tmpdir()
  const url = route === "/event" ? `/event?directory=${encodeURIComponent(dir)}` : route
  const sse = sseReader(await s.fetch(url, { headers: { "Last-Event-ID": lastEventID } }))
  const hello = await sse.next(() => true)
  expect(payload(hello).type).toBe("server.connected")
  // No id on the hello: cut off right after it, the client resends its old id and is told again.
  expect(hello.id).toBeUndefined()
  const told = await sse.next((e) => e !== hello)
  expect(sse.events.indexOf(told)).toBe(1)
  expect(payload(told).type).toBe("server.resync")
  expect(payload(told).properties).toEqual({ reason, lastEventID: lastEventID.slice(0, 200) })
  if (route === "/global/event") expect(told.data.directory).toBe("global")
  expect(seqOf(told.id)).toBe(Bus.currentSeq())

  await s.sdk(dir).instance.dispose()
  const next = await sse.next((e) => payload(e).type === "server.instance.disposed")
  expect(payload(next).properties.directory).toBe(dir)
  expect(seqOf(next.id)).toBeGreaterThan(seqOf(told.id))
  sse.cancel()
  return told.id!
}

describe.each(["/event", "/global/event"] as const)("%s", (route) => {
  test("an id from another server process (a restart or crash): resync 'restarted', then new events", async () => {
    // As the old numbering did: a big seq from before the restart, far ahead of this process.
    await expectResync(route, "mabc1234xyz-99999", "restarted")
  })

  test("garbage, a bare number and our own tag with a seq never reached: resync 'invalid'", async () => {
    await expectResync(route, "99999", "invalid")
    await expectResync(route, "not an id at all", "invalid")
    await expectResync(route, "x".repeat(5000), "invalid")
    const ours = await expectResync(route, "garbage", "invalid")
    const tag = ours.slice(0, ours.lastIndexOf("-") + 1)
    await expectResync(route, `${tag}${Bus.currentSeq() + 1000}`, "invalid")
    await expectResync(route, `${tag}12abc`, "invalid")
  })

  test("the id a resync gave is a good cursor: resuming from it replays, with no second resync", async () => {
    const dir = tmpdir()
    const cursor = await expectResync(route, "other0-5", "restarted")
    await s.sdk(dir).instance.dispose()
    const url = route === "/event" ? `/event?directory=${encodeURIComponent(dir)}` : route
    const again = sseReader(await s.fetch(url, { headers: { "Last-Event-ID": cursor } }))
    const replayed = await again.next((e) => payload(e).type === "server.instance.disposed" && payload(e).properties.directory === dir)
    expect(seqOf(replayed.id)).toBeGreaterThan(seqOf(cursor))
    expect(again.events.some((e) => payload(e).type === "server.resync")).toBe(false)
    again.cancel()
  })
})

test("an id older than the replay buffer: resync 'expired' on both streams, then new events", async () => {
  const dir = tmpdir()
  const sse = sseReader(await s.fetch(`/event?directory=${encodeURIComponent(dir)}`))
  const hello = await sse.next(() => true)
  sse.cancel()
  // More than the buffer holds (20,000 events by default), so the hello's id falls out of it.
  for (let i = 0; i < 26_000; i++) Bus.publishRaw("/elsewhere", { type: "test.flood", properties: { i } })
  expect(Bus.since(seqOf(hello.id)).complete).toBe(false)
  await expectResync("/event", hello.id!, "expired")
  await expectResync("/global/event", hello.id!, "expired")
})

test("an empty Last-Event-ID is no id: a plain connect, no resync", async () => {
  const dir = tmpdir()
  const sse = sseReader(await s.fetch(`/event?directory=${encodeURIComponent(dir)}`, { headers: { "Last-Event-ID": "" } }))
  const hello = await sse.next(() => true)
  expect(seqOf(hello.id)).toBe(Bus.currentSeq())
  await s.sdk(dir).instance.dispose()
  await sse.next((e) => e.data.type === "server.instance.disposed")
  expect(sse.events.map((e) => e.data.type)).toEqual(["server.connected", "server.instance.disposed"])
  sse.cancel()
})

test("server.resync is declared in /doc's Event union", async () => {
  const spec = await (await s.fetch("/doc/json")).json()
  const refs = spec.components.schemas.Event.anyOf.map((r: { $ref: string }) => r.$ref)
  expect(refs).toContain("#/components/schemas/EventServerResync")
  const resync = spec.components.schemas.EventServerResync
  expect(resync.properties.properties.properties.reason.enum).toEqual(["restarted", "expired", "invalid"])
  expect(resync.properties.properties.required).toEqual(["reason", "lastEventID"])
})
