import { BadRequestError, NamedError } from "../util/error"
import { createLog } from "../util/log"

const log = createLog("tui.control")

export type ControlRequest = { path: string; body: unknown }

type Waiter = { resolve: (r: ControlRequest) => void; signal: AbortSignal; onAbort: () => void }
type Channel = { pending: ControlRequest[]; waiters: Waiter[]; unanswered: Array<(body: unknown) => void>; dropped: number }

// Generous but bounded: a directory whose control requests nobody ever polls must not grow
// without limit. Only past this many unclaimed requests is the oldest dropped (and logged).
export const MAX_PENDING = 1000

const ANSWER = Symbol("answer")

// Per directory and process-wide, so requests survive an instance dispose and wait for
// the first client that polls, however late it attaches.
const channels = new Map<string, Channel>()

function channel(directory: string): Channel {
  let c = channels.get(directory)
  if (!c) channels.set(directory, (c = { pending: [], waiters: [], unanswered: [], dropped: 0 }))
  return c
}

/** Queues a control request for the next client that polls; nobody waits for its answer. */
export function enqueueControl(directory: string, request: ControlRequest) {
  push(directory, request)
}

/** Queues a control request and resolves with the body a client answers it with. */
export function requestControl(directory: string, request: ControlRequest): Promise<unknown> {
  return new Promise((resolve) => push(directory, Object.assign({ ...request }, { [ANSWER]: resolve })))
}

function push(directory: string, entry: ControlRequest) {
  const c = channel(directory)
  const waiter = c.waiters.shift()
  if (waiter) return handOut(c, waiter, entry)
  c.pending.push(entry)
  if (c.pending.length > MAX_PENDING) {
    const dropped = c.pending.shift()
    // Once per directory: a client that only listens to events would otherwise log every call.
    if (c.dropped++ === 0) log.warn("control queue full; dropping the oldest requests", { directory, path: dropped?.path, limit: MAX_PENDING })
  }
}

/** Long-polls the next request; a poller that disconnects first takes nothing with it. */
export function nextControl(directory: string, signal: AbortSignal): Promise<ControlRequest> {
  const c = channel(directory)
  const queued = c.pending.shift()
  if (queued) return Promise.resolve(take(c, queued))
  return new Promise((resolve, reject) => {
    const waiter: Waiter = {
      resolve,
      signal,
      onAbort: () => {
        c.waiters = c.waiters.filter((w) => w !== waiter)
        // The client is gone, so nobody reads this; a typed error just keeps it out of the error log.
        reject(new NamedError("AbortedError", { message: "The poll was closed before a control request arrived" }, 408))
      },
    }
    if (signal.aborted) return waiter.onAbort()
    signal.addEventListener("abort", waiter.onAbort, { once: true })
    c.waiters.push(waiter)
  })
}

/** Answers the oldest request handed out and not yet answered. */
export function respondControl(directory: string, body: unknown) {
  const answer = channel(directory).unanswered.shift()
  if (!answer) throw new BadRequestError("No TUI control request is waiting for a response: take one with GET /tui/control/next first", "Body")
  answer(body)
}

function handOut(c: Channel, waiter: Waiter, entry: ControlRequest) {
  waiter.signal.removeEventListener("abort", waiter.onAbort)
  // The poller vanished between registering and now: keep the request for the next one.
  if (waiter.signal.aborted) {
    const next = c.waiters.shift()
    if (next) return handOut(c, next, entry)
    c.pending.unshift(entry)
    return
  }
  waiter.resolve(take(c, entry))
}

function take(c: Channel, entry: ControlRequest): ControlRequest {
  const answer = (entry as any)[ANSWER] as ((body: unknown) => void) | undefined
  c.unanswered.push(answer ?? (() => {}))
  if (c.unanswered.length > MAX_PENDING) c.unanswered.shift()
  return { path: entry.path, body: entry.body }
}
