import { test, expect } from "bun:test"
import { Bus } from "../../src/bus"

// The replay buffer must hold only each event's JSON: holding the payload objects kept whole
// parts alive for 20,000 events (bench/soak-heap.ts: 84 MB of heap per 1,000 prompts).
function publishMany(n: number): WeakRef<object>[] {
  const refs: WeakRef<object>[] = []
  for (let i = 0; i < n; i++) {
    const part = { id: `part-${i}`, output: "y".repeat(2000 + i) }
    refs.push(new WeakRef(part))
    Bus.publishRaw("/memory-test", { type: "test.part", properties: { part } })
  }
  return refs
}

test("the replay buffer lets the published payload objects go", async () => {
  const start = Bus.currentSeq()
  const refs = publishMany(50)
  for (let i = 0; i < 3; i++) {
    Bun.gc(true)
    await Bun.sleep(1)
  }
  // The stack is scanned conservatively, so a stray one or two may survive a collection.
  const alive = refs.filter((r) => r.deref() !== undefined).length
  expect(alive).toBeLessThan(5)
  // And what is replayed is still the same event, read back from its JSON.
  const { events } = Bus.since(start)
  expect(events).toHaveLength(50)
  expect(events[7].payload).toEqual({ type: "test.part", properties: { part: { id: "part-7", output: "y".repeat(2007) } } })
  expect(events[7].json).toBe(JSON.stringify(events[7].payload))
})
