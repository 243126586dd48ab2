import { useEffect, useState } from "preact/hooks"
import type { Agent, Command, FileDiff, Message, Part, PermissionRequest, Project, Provider, ModelRef, Session, SessionStatus, Todo, Path } from "./types"

export type Toast = { id: number; text: string; kind: "info" | "error" }

/** All app state lives here as plain data; components re-read it after each animation frame. */
export const state = {
  ready: false,
  connected: false,
  path: undefined as Path | undefined,
  projects: [] as Project[],
  sessions: new Map<string, Session>(),
  status: new Map<string, SessionStatus>(),
  messages: new Map<string, Message[]>(),
  parts: new Map<string, Part[]>(),
  /** Bumped whenever a message or one of its parts changes, so unchanged rows skip rendering. */
  rev: new Map<string, number>(),
  permissions: new Map<string, PermissionRequest>(),
  todos: new Map<string, Todo[]>(),
  diffs: new Map<string, FileDiff[]>(),
  agents: [] as Agent[],
  providers: [] as Provider[],
  defaults: {} as Record<string, string>,
  commands: [] as Command[],
  configModel: undefined as string | undefined,
  sessionID: undefined as string | undefined,
  agent: "build",
  model: undefined as ModelRef | undefined,
  /** Prompts sent but not yet seen back as a user message. */
  outbox: [] as { sessionID: string; text: string }[],
  toasts: [] as Toast[],
  /** Bumped when files change on disk, so the file panel refreshes its git marks. */
  fileVersion: 0,
  panel: "none" as "none" | "changes" | "todo" | "files",
  sidebar: false,
  dialog: "none" as "none" | "providers" | "help" | "rename",
}

const listeners = new Set<() => void>()
let scheduled = false
let version = 0

// Many events can arrive per frame (a fast stream sends hundreds of deltas a second):
// render at most once per animation frame.
export function emit() {
  version++
  if (scheduled) return
  scheduled = true
  const flush = () => {
    scheduled = false
    for (const l of listeners) l()
  }
  if (document.visibilityState === "hidden") setTimeout(flush, 50)
  else requestAnimationFrame(flush)
}

export function useStore() {
  const [, set] = useState(0)
  useEffect(() => {
    const l = () => set(version)
    listeners.add(l)
    return () => void listeners.delete(l)
  }, [])
  return state
}

let toastSeq = 0
export function toast(text: string, kind: Toast["kind"] = "info") {
  const id = ++toastSeq
  state.toasts = [...state.toasts, { id, text, kind }]
  emit()
  setTimeout(
    () => {
      state.toasts = state.toasts.filter((t) => t.id !== id)
      emit()
    },
    kind === "error" ? 8000 : 4000,
  )
}

export function bump(messageID: string) {
  state.rev.set(messageID, (state.rev.get(messageID) ?? 0) + 1)
}

function byID<T extends { id: string }>(a: T, b: T) {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Inserts or replaces by id, keeping id order (ids sort by creation time). */
export function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id)
  if (i >= 0) {
    const next = list.slice()
    next[i] = item
    return next
  }
  const next = [...list, item]
  if (list.length && byID(list[list.length - 1], item) > 0) next.sort(byID)
  return next
}

export function setMessage(info: Message) {
  const list = state.messages.get(info.sessionID)
  if (!list) return
  state.messages.set(info.sessionID, upsert(list, info))
  if (info.role === "user") state.outbox = state.outbox.filter((o) => o.sessionID !== info.sessionID)
  bump(info.id)
}

export function setPart(part: Part) {
  if (!state.messages.has(part.sessionID)) return
  state.parts.set(part.messageID, upsert(state.parts.get(part.messageID) ?? [], part))
  bump(part.messageID)
}

export function removeMessage(sessionID: string, messageID: string) {
  const list = state.messages.get(sessionID)
  if (list)
    state.messages.set(
      sessionID,
      list.filter((m) => m.id !== messageID),
    )
  state.parts.delete(messageID)
}

export function removePart(messageID: string, partID: string) {
  const list = state.parts.get(messageID)
  if (!list) return
  state.parts.set(
    messageID,
    list.filter((p) => p.id !== partID),
  )
  bump(messageID)
}

export function isBusy(sessionID: string | undefined) {
  if (!sessionID) return false
  const s = state.status.get(sessionID)
  return !!s && s.type !== "idle"
}

export function modelInfo(ref: ModelRef | undefined) {
  if (!ref) return undefined
  return state.providers.find((p) => p.id === ref.providerID)?.models[ref.modelID]
}
