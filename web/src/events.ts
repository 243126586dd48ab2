import { apiURL } from "./api"
import { state, emit, setMessage, setPart, removeMessage, removePart, bump } from "./store"
import type { Event, PermissionRequest } from "./types"

type AnyEvent =
  | Event
  | { type: "server.resync"; properties: { reason: string } }
  | { type: "permission.asked"; properties: PermissionRequest }
  | { type: string; properties: any }

let source: EventSource | undefined
let retry: ReturnType<typeof setTimeout> | undefined

/**
 * Subscribes to GET event. The browser's EventSource reconnects by itself and resends
 * Last-Event-ID, and the server replays what was missed; every event here is applied as an
 * idempotent upsert, so a replayed event never doubles anything. Only when the stream is
 * gone for good (a new EventSource has no Last-Event-ID) or the server says it cannot replay
 * (`server.resync`) is the state reloaded from the API.
 */
export function connectEvents(reload: () => Promise<void>) {
  disconnectEvents()
  let loading: AnyEvent[] | undefined = []
  const es = new EventSource(apiURL("event"), { withCredentials: true })
  source = es
  const load = async () => {
    loading ??= []
    try {
      await reload()
    } finally {
      const queued = loading ?? []
      loading = undefined
      for (const e of queued) apply(e)
      emit()
    }
  }
  let first = true
  es.onmessage = (msg) => {
    let event: AnyEvent
    try {
      event = JSON.parse(msg.data)
    } catch {
      return
    }
    if (event.type === "server.connected") {
      state.connected = true
      emit()
      if (first) {
        first = false
        void load()
      }
      return
    }
    if (event.type === "server.resync") return void load()
    // Per-token `message.part.delta` events are skipped: the stored part arrives whole (at
    // most every 50 ms) in `message.part.updated`, which is all the page needs to show.
    if (event.type === "message.part.delta" || event.type === "server.heartbeat") return
    if (loading) loading.push(event)
    else {
      apply(event)
      emit()
    }
  }
  es.onerror = () => {
    state.connected = false
    emit()
    if (es.readyState !== EventSource.CLOSED) return
    // The browser gave up (e.g. the server answered an error): start over and reload.
    retry = setTimeout(() => connectEvents(reload), 2000)
  }
}

export function disconnectEvents() {
  clearTimeout(retry)
  source?.close()
  source = undefined
}

// Sessions whose messages are being fetched: their message events wait here and are applied
// over the fetched copy, which may be older than they are.
const held = new Map<string, AnyEvent[]>()

export function holdSession(id: string) {
  if (!held.has(id)) held.set(id, [])
}

export function releaseSession(id: string) {
  const events = held.get(id) ?? []
  held.delete(id)
  for (const e of events) apply(e)
}

function sessionOf(event: AnyEvent): string | undefined {
  const p: any = event.properties
  if (event.type === "message.updated") return p.info?.sessionID
  if (event.type === "message.part.updated") return p.part?.sessionID
  if (event.type === "message.removed" || event.type === "message.part.removed") return p.sessionID
  return undefined
}

function apply(event: AnyEvent) {
  const p: any = event.properties
  const waiting = held.get(sessionOf(event) ?? "")
  if (waiting) return void waiting.push(event)
  switch (event.type) {
    case "message.updated":
      return setMessage(p.info)
    case "message.removed":
      return removeMessage(p.sessionID, p.messageID)
    case "message.part.updated":
      return setPart(p.part)
    case "message.part.removed":
      return removePart(p.messageID, p.partID)
    case "session.created":
    case "session.updated":
      state.sessions.set(p.info.id, p.info)
      return
    case "session.deleted":
      state.sessions.delete(p.info.id)
      if (state.sessionID === p.info.id) deletedHook?.()
      return
    case "session.status":
      state.status.set(p.sessionID, p.status)
      return
    case "session.idle":
      state.status.set(p.sessionID, { type: "idle" })
      return
    case "session.diff":
      state.diffs.set(p.sessionID, p.diff)
      return
    case "todo.updated":
      state.todos.set(p.sessionID, p.todos)
      return
    case "permission.asked":
      state.permissions.set(p.id, p)
      if (p.tool) bump(p.tool.messageID)
      return
    case "permission.updated":
      // v1 shape: only used when the 1.18 shape did not arrive first.
      if (!state.permissions.has(p.id))
        state.permissions.set(p.id, {
          id: p.id,
          sessionID: p.sessionID,
          permission: p.type,
          patterns: p.pattern === undefined ? [] : [].concat(p.pattern),
          always: [],
          metadata: p.metadata ?? {},
          title: p.title,
          tool: p.callID ? { messageID: p.messageID, callID: p.callID } : undefined,
        })
      else state.permissions.get(p.id)!.title ??= p.title
      return
    case "permission.replied": {
      const id = p.permissionID ?? p.requestID
      const req = state.permissions.get(id)
      state.permissions.delete(id)
      if (req?.tool) bump(req.tool.messageID)
      return
    }
    case "file.edited":
    case "file.watcher.updated":
      state.fileVersion++
      return
    case "session.error":
      if (p.error && p.error.name !== "MessageAbortedError") errorHook?.(p.error.data?.message ?? p.error.name)
      return
  }
}

let errorHook: ((text: string) => void) | undefined
let deletedHook: (() => void) | undefined
export function onSessionError(fn: (text: string) => void) {
  errorHook = fn
}
/** The session on screen was deleted (from here or by another client). */
export function onCurrentDeleted(fn: () => void) {
  deletedHook = fn
}
