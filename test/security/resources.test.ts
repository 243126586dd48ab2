import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s.stop())

describe("event streams", () => {
  test("past the limit a new stream is a 503 naming it, and closing one frees a slot", async () => {
    process.env.OPENCODE_SSE_MAX_STREAMS = "3"
    try {
      const open = await Promise.all([s.fetch("/event"), s.fetch("/global/event"), s.fetch("/event")])
      const readers = open.map((r) => sseReader(r))
      for (const r of readers) await r.next(() => true)
      const refused = await s.fetch("/event")
      expect(refused.status).toBe(503)
      expect((await refused.json()).name).toBe("TooManyStreamsError")
      expect((await s.fetch("/global/health")).status).toBe(200)
      readers[0].cancel()
      let again: Response | undefined
      for (let i = 0; i < 50 && again?.status !== 200; i++) {
        await again?.body?.cancel()
        await Bun.sleep(20)
        again = await s.fetch("/event")
      }
      expect(again!.status).toBe(200)
      await again!.body?.cancel()
      for (const r of readers.slice(1)) r.cancel()
    } finally {
      delete process.env.OPENCODE_SSE_MAX_STREAMS
    }
  })
})

describe("search", () => {
  test("a catastrophic-backtracking pattern answers quickly (ripgrep's engine is linear)", async () => {
    fs.writeFileSync(path.join(s.directory, "a.txt"), "a".repeat(5000) + "!\n")
    const started = Date.now()
    const r = await s.fetch(`/find?pattern=${encodeURIComponent("(a+)+$")}&directory=${encodeURIComponent(s.directory)}`)
    expect(r.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  test("a huge or malformed limit on /find/file is a 400, not a huge answer", async () => {
    for (const limit of ["99999999", "-1", "abc", "1e3"]) {
      const r = await s.fetch(`/find/file?query=a&limit=${limit}`)
      expect({ limit, status: r.status }).toEqual({ limit, status: 400 })
    }
  })
})
