import { test, expect } from "bun:test"
import { Bus } from "../../src/bus"

// The replay buffer is bounded in bytes as well as in count: part updates can carry whole
// tool outputs, and 20,000 of those must not all stay in memory.
test("the replay history keeps at most its byte budget, dropping the oldest events first", () => {
  const start = Bus.currentSeq()
  const big = "x".repeat(1024 * 1024)
  for (let i = 0; i < 48; i++) Bus.publishRaw("/bytes-test", { type: "test.big", properties: { i, big } })
  const { events, complete } = Bus.since(start)
  const bytes = events.reduce((n, e) => n + e.json.length, 0)
  expect(bytes).toBeLessThanOrEqual(32 * 1024 * 1024)
  expect(complete).toBe(false)
  // What is kept is the newest, in order.
  const kept = events.map((e) => (e.payload.properties as { i: number }).i)
  expect(kept.at(-1)).toBe(47)
  expect(kept).toEqual([...kept].sort((a, b) => a - b))
  expect(kept.length).toBeGreaterThan(10)
})

test("each event is serialised once, and that JSON is what streams send", () => {
  const start = Bus.currentSeq()
  Bus.publishRaw("/json-test", { type: "test.json", properties: { a: 1 } })
  const [e] = Bus.since(start).events
  expect(e.json).toBe('{"type":"test.json","properties":{"a":1}}')
})
