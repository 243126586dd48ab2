// A full garbage collection after a prompt ends, once the heap has grown well past what the
// last full collection left.
//
// JSC's collector runs mostly young-generation passes while the server is busy, so the old
// garbage of each prompt (request bodies, streamed chunks, part JSON, model messages) piles up:
// bench/soak.ts saw RSS climb ~50 MB per 1,000 prompts although the live heap stayed flat
// (bench/soak-heap.ts), and a forced full collection gave it all back. Keying on growth, not a
// timer, means a server doing nothing pays nothing, and a busy one a 30-100 ms pause every few
// hundred prompts.

/** Collect once heap + external memory reach this multiple of what the last collection kept. */
const GROWTH = Number(process.env.OPENCODE_GC_GROWTH ?? 1.5)
const MIN_GAP_MS = 2_000

let baseline = 0
let last = 0
let pending = false

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
    Bun.gc(true)
    last = Date.now()
    baseline = inUse()
  }, 0).unref?.()
}

/** What the last full collection left (0 before the first), for tests. */
export function gcBaseline() {
  return baseline
}
