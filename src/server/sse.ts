import { Bus, formatEventID, type ResyncReason } from "../bus"
import type { Envelope } from "../bus/bus"
import { UnavailableError } from "../util/error"
import { limit } from "../global/limits"
import { numberSetting } from "../global/settings"

const encoder = new TextEncoder()

// Token deltas may be dropped for a slow client (a later full part update carries the whole
// text); everything else, terminal events above all, is always delivered.
function droppable(e: Envelope) {
  const p = e.payload as { type: string; properties: any }
  return p.type === "message.part.delta" || (p.type === "message.part.updated" && p.properties?.delta !== undefined)
}

function updatedPartID(e: Envelope): string | undefined {
  const p = e.payload as { type: string; properties: any }
  return p.type === "message.part.updated" ? p.properties?.part?.id : undefined
}

/** The queue without droppable events, except each part's newest update: nothing later may carry its text. */
function shed(queue: Envelope[]): Envelope[] {
  const newest = new Map<string, Envelope>()
  for (const e of queue) {
    const id = updatedPartID(e)
    if (id) newest.set(id, e)
  }
  return queue.filter((e) => !droppable(e) || newest.get(updatedPartID(e) ?? "") === e)
}

export type StreamOptions = {
  request: Request
  filter: (e: Envelope) => boolean
  /** What the client sees of an event, as JSON: `/event` sends the payload, `/global/event` wraps it. */
  shape: (e: Envelope) => string
  /** Sent first, before any bus event (`server.connected`). */
  hello: () => unknown
  /**
   * The Bun server the request came in on. A stream cut for a socket that does not drain
   * only ends once the client reads what is queued; the server then drops the connection
   * itself so the kernel lets go of it (see overflow).
   */
  server?: { timeout(request: Request, seconds: number): void } | null
  heartbeatMs?: number
  /** Pending events per client before deltas are dropped, and the hard cap before we hang up. */
  softLimit?: number
  hardLimit?: number
}

const bytesOf = (queue: Envelope[]) => queue.reduce((n, e) => n + e.json.length, 0)

const streams = new Set<() => void>()

/** Ends every open stream: used at shutdown so clients see a clean close. */
export function closeAllStreams() {
  for (const close of [...streams]) close()
}

export function openStreamCount() {
  return streams.size
}

// Streams that still hold queued events, and callers waiting for them to be written out.
const backlogged = new Set<() => boolean>()
let drainWaiters: Array<() => void> = []

function notifyDrained() {
  for (const has of backlogged) if (has()) return
  for (const w of drainWaiters.splice(0)) w()
}

/**
 * Resolves once every open stream has written out the events published so far (or after
 * `timeoutMs`). A response that ends a client's wait (POST /session/:id/message) goes out
 * after the events describing it, so a client that stops listening on the answer, as the
 * opencode CLI does, has already received them.
 */
export function drained(timeoutMs = 250): Promise<void> {
  return new Promise((resolve) => {
    let done = false
    const finish = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(finish, timeoutMs)
    drainWaiters.push(finish)
    notifyDrained()
  })
}

export function eventStream(o: StreamOptions): Response {
  // Every stream is a bus listener each event visits: a client that leaks reconnections must
  // not slow every other one down without bound.
  const maxStreams = limit("eventStreams")
  if (streams.size >= maxStreams)
    throw new UnavailableError("TooManyStreamsError", `Too many open event streams (${streams.size}, limit ${maxStreams}): close some before opening another.`)
  const heartbeatMs = o.heartbeatMs ?? numberSetting("OPENCODE_SSE_HEARTBEAT_MS", 10_000)
  const softLimit = o.softLimit ?? 2_000
  // Half the replay buffer: a client cut off for lagging this far finds what it missed still
  // in the buffer when it comes back, with room for what happens while it reconnects.
  const hardLimit = o.hardLimit ?? Math.floor(Bus.historyLimit() / 2)
  // A count alone lets a few huge tool outputs pile up; and a socket that accepts nothing for
  // long has a client that is gone or stuck: either way it is cut and may resume.
  const backlogBytes = limit("streamBacklogBytes")
  const stallMs = limit("streamStallMs")
  // An empty one is no id at all: nothing to resume, nothing to resync.
  const lastEventID = (o.request.headers.get("last-event-id") ?? new URL(o.request.url).searchParams.get("lastEventId")) || undefined

  let queue: Envelope[] = []
  let queueBytes = 0
  // Bun asks for more (calls pull) only once what it has is written to the socket: between a
  // pull's end and the next, the socket is full. Since when, or undefined while Bun is asking.
  let blockedSince: number | undefined = Date.now()
  let lastWrite = Date.now()
  let beat = false
  // The `id:` a client may resume from: the last event actually written to it. Heartbeats
  // repeat it; using the bus's current seq instead would let a client that drops right after
  // a heartbeat skip events still waiting in its queue.
  let lastSent = 0
  // Shedding walks the whole queue: done again only once the queue has doubled, so a backlog
  // of events that cannot be dropped costs linear time, not quadratic.
  let shedAt = softLimit
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined
  let wake: (() => void) | undefined
  let closed = false
  let unsubscribe = () => {}
  let timer: ReturnType<typeof setInterval> | undefined

  const hasBacklog = () => !closed && queue.length > 0
  const close = () => {
    if (closed) return
    closed = true
    backlogged.delete(hasBacklog)
    unsubscribe()
    clearInterval(timer)
    streams.delete(close)
    wake?.()
    notifyDrained()
  }

  // Still too far behind: let go of the backlog now and end the stream as failed, not done, so
  // clients (the v1 SDK among them) reconnect with Last-Event-ID and replay what they missed.
  const overflow = () => {
    queue = []
    queueBytes = 0
    try {
      // No reason given: with one, Bun prints it to stderr as an unhandled error.
      stream?.error()
    } catch {}
    close()
    // Bun keeps an errored stream's connection open until what is queued is read, which a
    // client that stopped reading never does: with a 1 s idle timeout it is closed, and the
    // kernel drops the orphaned socket and its buffers (after some retries) by itself.
    try {
      o.server?.timeout(o.request, 1)
    } catch {}
  }

  const stalled = () => blockedSince !== undefined && Date.now() - blockedSince > stallMs

  const frame = (seq: number | undefined, json: string) => encoder.encode(`${seq !== undefined ? `id: ${formatEventID(seq)}\n` : ""}data: ${json}\n\n`)

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      stream = controller
      // Subscribe before replaying so nothing published in between is lost; dedupe by seq.
      let replayedUpTo = 0
      lastSent = Bus.currentSeq()
      unsubscribe = Bus.subscribe((e) => {
        if (closed || e.seq <= replayedUpTo || !o.filter(e)) return
        queue.push(e)
        queueBytes += e.json.length
        if (queue.length > shedAt || queueBytes > backlogBytes) {
          queue = shed(queue)
          queueBytes = bytesOf(queue)
          shedAt = Math.max(softLimit, queue.length * 2)
        }
        if (queue.length > hardLimit || queueBytes > backlogBytes || stalled()) return overflow()
        wake?.()
      })
      streams.add(close)
      backlogged.add(hasBacklog)
      o.request.signal.addEventListener("abort", close, { once: true })

      const resumed = lastEventID === undefined ? undefined : Bus.resume(lastEventID)
      if (resumed && "reason" in resumed) {
        // The hello goes without an id so the client keeps the one it sent: cut off before the
        // resync event, it is told again on its next try. The resync moves it to our cursor.
        controller.enqueue(frame(undefined, JSON.stringify(o.hello())))
        controller.enqueue(frame(lastSent, resync(o, resumed.reason, lastEventID!)))
      } else if (resumed) {
        // A resumed stream's hello repeats the client's cursor: cut off before the replay, it
        // resumes from the same point again.
        controller.enqueue(frame(resumed.seq, JSON.stringify(o.hello())))
        for (const e of resumed.events) if (o.filter(e)) controller.enqueue(frame(e.seq, o.shape(e)))
        replayedUpTo = resumed.events.at(-1)?.seq ?? resumed.seq
        lastSent = replayedUpTo
        queue = queue.filter((e) => e.seq > replayedUpTo)
      } else controller.enqueue(frame(lastSent, JSON.stringify(o.hello())))
      // Ticks often enough to notice a stall in time. A heartbeat goes through pull like any
      // event, so one that cannot be written counts as a stall too.
      timer = setInterval(
        () => {
          if (closed) return
          if (stalled()) return overflow()
          if (blockedSince !== undefined || Date.now() - lastWrite < heartbeatMs) return
          beat = true
          wake?.()
        },
        Math.max(20, Math.min(heartbeatMs, stallMs / 4)),
      )
    },
    async pull(controller) {
      blockedSince = undefined
      while (!closed && queue.length === 0 && !beat) await new Promise<void>((r) => (wake = r))
      wake = undefined
      if (!closed && queue.length === 0) {
        beat = false
        controller.enqueue(frame(lastSent, heartbeat(o)))
        lastWrite = blockedSince = Date.now()
        return
      }
      if (closed && queue.length === 0) {
        try {
          controller.close()
        } catch {}
        return
      }
      const batch = queue
      queue = []
      queueBytes = 0
      shedAt = softLimit
      for (const e of batch) controller.enqueue(frame(e.seq, o.shape(e)))
      lastSent = batch.at(-1)!.seq
      lastWrite = blockedSince = Date.now()
      notifyDrained()
    },
    cancel() {
      close()
    },
  })

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  })
}

const HEARTBEAT = { type: "server.heartbeat", properties: {} }
function heartbeat(o: StreamOptions) {
  return o.shape({ seq: 0, directory: "", payload: HEARTBEAT, json: JSON.stringify(HEARTBEAT) })
}

/** The `server.resync` event, in this stream's shape. Only a prefix of a huge id is echoed. */
function resync(o: StreamOptions, reason: ResyncReason, lastEventID: string) {
  const payload = { type: "server.resync", properties: { reason, lastEventID: lastEventID.slice(0, 200) } }
  return o.shape({ seq: 0, directory: "global", payload, json: JSON.stringify(payload) })
}
