import type { EventDef, EventPayload } from "./event"
import { createLog } from "../util/log"
import { parseEventID, type ResyncReason } from "./event-id"
import { numberSetting } from "../global/settings"

const log = createLog("bus")

export type Envelope = {
  /** Monotonic per process; the SSE `id:` is this with the process's tag (see event-id.ts). */
  seq: number
  directory: string
  payload: { type: string; properties: unknown }
  /** `payload` as JSON, serialised once for every stream and the replay buffer's byte count. */
  json: string
}

type Listener = (e: Envelope) => void

// Two methods, publish and subscribe. Listeners run synchronously and must not block; one
// throwing listener never stops the others.
const listeners = new Set<Listener>()
let seq = 0

// A bounded replay history so a client reconnecting with Last-Event-ID gets what it missed:
// bounded in count and in bytes, since one part update can carry a large tool output.
const HISTORY_LIMIT = numberSetting("OPENCODE_EVENT_HISTORY", 20_000)
const HISTORY_BYTES = numberSetting("OPENCODE_EVENT_HISTORY_BYTES", 32 * 1024 * 1024)
const history: Envelope[] = []
let historyBytes = 0

export function publish<D extends EventDef>(directory: string, def: D, properties: EventPayload<D>["properties"]) {
  publishRaw(directory, { type: def.type, properties })
}

export function publishRaw(directory: string, payload: Envelope["payload"]) {
  const env: Envelope = { seq: ++seq, directory, payload, json: JSON.stringify(payload) }
  history.push(held(env))
  historyBytes += env.json.length
  if (history.length > HISTORY_LIMIT * 1.25 || historyBytes > HISTORY_BYTES) trimHistory()
  for (const l of listeners) {
    try {
      l(env)
    } catch (e) {
      log.error("listener failed", { type: payload.type, error: e })
    }
  }
  return env
}

// The buffer keeps each event's JSON, not its payload: the payload objects (whole parts with
// their tool outputs) would otherwise stay alive with it, several times the JSON's size and not
// counted by HISTORY_BYTES. bench/soak-heap.ts measured 84 MB of heap per 1,000 prompts until
// the buffer filled; the rare reader of a replayed event's payload parses the JSON again.
// A class, so the getter lives once on the prototype rather than as a closure per event.
class Held implements Envelope {
  constructor(
    readonly seq: number,
    readonly directory: string,
    readonly json: string,
  ) {}
  get payload(): Envelope["payload"] {
    return JSON.parse(this.json)
  }
}
const held = (env: Envelope) => new Held(env.seq, env.directory, env.json)

// Evicts in one splice, down to 80% of each bound, so the cost is paid rarely.
function trimHistory() {
  let drop = Math.max(0, history.length - HISTORY_LIMIT)
  let bytes = historyBytes
  for (let i = 0; i < drop; i++) bytes -= history[i].json.length
  while (drop < history.length && bytes > HISTORY_BYTES * 0.8) bytes -= history[drop++].json.length
  history.splice(0, drop)
  historyBytes = bytes
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** How many events the replay buffer holds at least (when their bytes allow). */
export function historyLimit() {
  return HISTORY_LIMIT
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

/**
 * Where a client reconnecting with `lastEventID` picks up: the events it missed, or why it
 * cannot (another process's id, one older than the buffer, or not an id of ours), in which
 * case it must reload its state: nothing replayed could be trusted to fill the gap.
 */
export function resume(lastEventID: string): { seq: number; events: Envelope[] } | { reason: ResyncReason } {
  const id = parseEventID(lastEventID)
  if ("reason" in id) return id
  if (id.seq > seq) return { reason: "invalid" }
  const { events, complete } = since(id.seq)
  return complete ? { seq: id.seq, events } : { reason: "expired" }
}

export function listenerCount() {
  return listeners.size
}

/** The replay buffer's size, for /metrics. */
export function bufferStats() {
  return { events: history.length, bytes: historyBytes }
}
