import { expect, test } from "bun:test"
import { useHarness, newSession } from "../helpers/harness"
import { collectIfGrown, gcStats } from "../../src/util/idle-gc"

// Old garbage piles up between JSC's full collections while prompts run (bench/soak.ts: RSS
// +50 MB per 1,000 prompts with a flat live heap); the end of a prompt asks for a full
// collection once the heap has grown half again past what the last one kept.
const h = useHarness()
const inUse = () => process.memoryUsage().heapUsed + process.memoryUsage().external

test("the end of a prompt takes a full collection's measure, and a grown heap gets collected", async () => {
  const { c: client, s: session } = await newSession(h)
  h.llm.enqueue({ text: "hello" })
  const r = await client.session.prompt({ path: { id: session.id }, body: { parts: [{ type: "text", text: "hi" }] } })
  expect(r.error).toBeUndefined()
  await Bun.sleep(20)
  const { baseline: first, count } = gcStats()
  expect(count).toBeGreaterThan(0)
  expect(first).toBeGreaterThan(0)

  // Garbage the size of the whole heap: kept alive through a collection, then dropped.
  let junk: unknown[] | undefined = Array.from({ length: Math.ceil(first / 40) }, (_, i) => ({ i, s: `item ${i}` }))
  Bun.gc(false) // the heap's size as the runtime reports it is brought up to date by a collection
  expect(inUse()).toBeGreaterThan(first * 1.5)
  junk = undefined
  await Bun.sleep(2_100) // the minimum gap between collections
  collectIfGrown()
  await Bun.sleep(20)
  expect(junk).toBeUndefined()
  expect(gcStats().count).toBe(count + 1)
  expect(inUse()).toBeLessThan(first * 1.5)
})
