import { numberSetting } from "../global/settings"

// A full garbage collection after a prompt ends, once the heap has grown well past what the
// last full collection left.
//
// JSC's collector runs mostly young-generation passes while the server is busy, so the old
// garbage of each prompt (request bodies, streamed chunks, part JSON, model messages) piles up:
// run in-process, heap + external memory went from 55 to 149 MB over 2,000 prompts while the
// live heap stayed flat (bench/soak-heap.ts), and a forced full collection gave it all back;
// with this rule it stays between 45 and 66 MB. Keying on growth, not a
// timer, means a server doing nothing pays nothing, and a busy one a 30-100 ms pause every few
// hundred prompts. (A collection when the server goes quiet was tried too: it did not lower the
// compiled binary's idle RSS, so it is not done.)

/** Collect once heap + external memory reach this multiple of what the last collection kept. */
const GROWTH = numberSetting("OPENCODE_GC_GROWTH", 1.5)
const MIN_GAP_MS = 2_000

let baseline = 0
let last = 0
let pending = false
let count = 0

function collect() {
  Bun.gc(true)
  count++
  last = Date.now()
  baseline = inUse()
}

const inUse = () => {
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}

/** Schedules a full collection when the heap has grown past GROWTH × the last baseline. */
export function collectIfGrown() {
  if (pending || GROWTH <= 0 || Date.now() - last < MIN_GAP_MS) return
  if (baseline && inUse() < baseline * GROWTH) return
  pending = true
  // After the current turn of the event loop, so the reply that just ended goes out first.
  setTimeout(() => {
    pending = false
    collect()
  }, 0).unref?.()
}

/** What the last full collection left (0 before the first) and how many ran, for tests. */
export function gcStats() {
  return { baseline, count }
}
