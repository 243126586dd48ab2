import type { EventDef, EventPayload } from "./event"
import { createLog } from "../util/log"

const log = createLog("bus")

export type Envelope = {
  /** Monotonic per process: the SSE `id:` and the Last-Event-ID cursor. */
  seq: number
  directory: string
  payload: { type: string; properties: unknown }
}

type Listener = (e: Envelope) => void

// Two methods, publish and subscribe. Listeners run synchronously and must not block; one
// throwing listener never stops the others.
const listeners = new Set<Listener>()
let seq = 0

// A bounded replay history so a client reconnecting with Last-Event-ID gets what it missed.
const HISTORY_LIMIT = Number(process.env.OPENCODE_EVENT_HISTORY ?? 20_000)
const history: Envelope[] = []
let historyStart = 0

export function publish<D extends EventDef>(directory: string, def: D, properties: EventPayload<D>["properties"]) {
  publishRaw(directory, { type: def.type, properties })
}

export function publishRaw(directory: string, payload: Envelope["payload"]) {
  const env: Envelope = { seq: ++seq, directory, payload }
  history.push(env)
  if (history.length > HISTORY_LIMIT * 1.25) {
    const drop = history.length - HISTORY_LIMIT
    history.splice(0, drop)
    historyStart += drop
  }
  for (const l of listeners) {
    try {
      l(env)
    } catch (e) {
      log.error("listener failed", { type: payload.type, error: e })
    }
  }
  return env
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function currentSeq() {
  return seq
}

/**
 * Events after `after` still held in memory. `complete` is false when some were already
 * evicted, so the caller can tell the client its view may have a gap.
 */
export function since(after: number): { events: Envelope[]; complete: boolean } {
  const oldest = history[0]?.seq ?? seq + 1
  const complete = after + 1 >= oldest || after >= seq
  const idx = history.findIndex((e) => e.seq > after)
  return { events: idx === -1 ? [] : history.slice(idx), complete }
}

export function listenerCount() {
  return listeners.size
}
