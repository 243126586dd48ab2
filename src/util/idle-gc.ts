// A full garbage collection after a prompt ends, once the heap has grown well past what the
// last full collection left.
//
// JSC's collector runs mostly young-generation passes while the server is busy, so the old
// garbage of each prompt (request bodies, streamed chunks, part JSON, model messages) piles up:
// bench/soak.ts saw RSS climb ~50 MB per 1,000 prompts although the live heap stayed flat
// (bench/soak-heap.ts), and a forced full collection gave it all back. Keying on growth, not a
// timer, means a server doing nothing pays nothing, and a busy one a 30-100 ms pause every few
// hundred prompts. The end of a prompt checks; so does a cheap 5 s watch (one
// process.memoryUsage() call), which also collects once when the server has gone quiet, so the
// garbage of the last burst is not what an idle server keeps resident.

/** Collect once heap + external memory reach this multiple of what the last collection kept. */
const GROWTH = Number(process.env.OPENCODE_GC_GROWTH ?? 1.5)
const MIN_GAP_MS = 2_000

let baseline = 0
let last = 0
let pending = false
let count = 0
let seen = 0
let quietCollected = true

function collect() {
  Bun.gc(true)
  count++
  last = Date.now()
  baseline = seen = inUse()
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

let watch: ReturnType<typeof setInterval> | undefined

/** Below this much change between two looks the server counts as quiet (timers and heartbeats allocate a little). */
const QUIET_BYTES = 1024 * 1024

/** One look: growth since the last look means activity; hardly any (or a drop) after activity means quiet. */
export function heapTick() {
  const now = inUse()
  const grew = now - seen > QUIET_BYTES
  seen = now
  if (grew) {
    quietCollected = false
    return collectIfGrown()
  }
  if (quietCollected || pending) return
  quietCollected = true
  collect()
}

/** Looks every 5 s for as long as the process runs (never keeping it alive); idempotent. */
export function watchHeap() {
  watch ??= setInterval(heapTick, 5_000)
  watch.unref?.()
}

/** What the last full collection left (0 before the first) and how many ran, for tests. */
export function gcStats() {
  return { baseline, count }
}
