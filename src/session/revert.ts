import path from "node:path"
import { createTwoFilesPatch } from "diff"
import type { Instance } from "../project/instance"
import { Bus } from "../bus"
import * as Snapshot from "../snapshot/snapshot"
import { NamedError, NotFoundError } from "../util/error"
import type { FileDiff, MessageWithParts, PatchPart, Session } from "./schema"
import { MessageRemoved, MessagePartRemoved } from "./events"
import * as Sessions from "./session"
import * as Store from "./message-store"
import * as Changes from "./change-store"
import { isBusy } from "./prompt/runner"
import { summarize } from "./diff"
import { SessionBusyError, sessionInstance } from "./session-instance"

type Point = NonNullable<Session["revert"]>


/**
 * POST /session/:id/revert. Puts every file changed after the point (a message, or a part
 * within an assistant message) back as it was there, and marks the session reverted. The
 * messages stay listed until the next prompt discards them (clients hide them meanwhile);
 * unrevert() undoes all of it exactly. Reverting again while reverted moves the point.
 */
export function revert(requestInstance: Instance, sessionID: string, input: { messageID: string; partID?: string }): Promise<Session> {
  return exclusive(sessionID, "revert", () => revertNow(requestInstance, sessionID, input))
}

async function revertNow(requestInstance: Instance, sessionID: string, input: { messageID: string; partID?: string }): Promise<Session> {
  const session = Sessions.get(sessionID)
  const instance = await sessionInstance(requestInstance, session)
  const history = Store.list(sessionID)
  const point = revertPoint(history, input)
  const patches = patchesAfter(history, point)
  const previous = session.revert ? patchesAfter(history, session.revert) : []

  const files = unique([...patches, ...previous].flatMap((p) => p.files))
  // The worktree before the first revert: what unrevert puts back.
  const snapshot = session.revert?.snapshot ?? (files.length ? await Snapshot.track(instance) : undefined)
  if (files.length && !snapshot) throw new NamedError("SnapshotError", { message: "Cannot revert: the worktree could not be snapshotted, so the revert could not be undone" }, 500)
  // Oldest state wins per file; files the new point no longer covers go back to the snapshot.
  if (files.length) await Snapshot.revert(instance, [...patches, { hash: snapshot!, files: previous.flatMap((p) => p.files) }])

  const current = Sessions.get(sessionID)
  current.revert = {
    messageID: point.messageID,
    ...(point.partID ? { partID: point.partID } : {}),
    ...(snapshot ? { snapshot } : {}),
    ...(snapshot && files.length ? { diff: unified(await Snapshot.diff(instance, snapshot), instance, files) } : {}),
  }
  Sessions.save(current)
  await summarize(instance, sessionID)
  return Sessions.get(sessionID)
}

/** POST /session/:id/unrevert: the files and the messages come back as they were before the revert. */
export function unrevert(requestInstance: Instance, sessionID: string): Promise<Session> {
  return exclusive(sessionID, "unrevert", () => unrevertNow(requestInstance, sessionID))
}

async function unrevertNow(requestInstance: Instance, sessionID: string): Promise<Session> {
  const session = Sessions.get(sessionID)
  if (!session.revert) return session
  const instance = await sessionInstance(requestInstance, session)
  const files = unique(patchesAfter(Store.list(sessionID), session.revert).flatMap((p) => p.files))
  // Files created after the point were deleted by the revert and come back; files deleted
  // after it were recreated and go again.
  if (session.revert.snapshot && files.length) await Snapshot.revert(instance, [{ hash: session.revert.snapshot, files }])
  const current = Sessions.get(sessionID)
  delete current.revert
  Sessions.save(current)
  await summarize(instance, sessionID)
  return Sessions.get(sessionID)
}

// Sessions with a revert or unrevert under way: a second one would read the files half done.
const inFlight = new Set<string>()

async function exclusive<T>(sessionID: string, action: string, fn: () => Promise<T>): Promise<T> {
  if (isBusy(sessionID) || inFlight.has(sessionID)) throw new SessionBusyError(sessionID, action)
  inFlight.add(sessionID)
  try {
    return await fn()
  } finally {
    inFlight.delete(sessionID)
  }
}

/**
 * Discards what a revert hid, for good: called before a reverted session takes a new
 * prompt, so the model never sees the reverted turns. Synchronous, so no request can slip
 * in between it and the new message.
 */
export function cleanup(sessionID: string) {
  if (inFlight.has(sessionID)) throw new SessionBusyError(sessionID, "send the prompt (a revert is under way)")
  const session = Sessions.get(sessionID)
  const point = session.revert
  if (!point) return
  const removed = Changes.removeFrom(sessionID, point.messageID, point.partID)
  for (const messageID of removed.messages) Bus.publish(session.directory, MessageRemoved, { sessionID, messageID })
  for (const partID of removed.parts) Bus.publish(session.directory, MessagePartRemoved, { sessionID, messageID: point.messageID, partID })
  delete session.revert
  Sessions.save(session)
}

/**
 * Where a revert starts. A whole message is reverted from the user message it answers (the
 * turn goes with it); a part keeps its position unless nothing worth keeping (text or a tool
 * call) comes before it in its message, in which case the whole turn goes.
 */
function revertPoint(history: MessageWithParts[], input: { messageID: string; partID?: string }): Pick<Point, "messageID" | "partID"> {
  const index = history.findIndex((m) => m.info.id === input.messageID)
  if (index < 0) throw new NotFoundError(`Message not found: ${input.messageID}`)
  const message = history[index]
  const turn = () => (message.info.role === "assistant" ? message.info.parentID : message.info.id)
  if (!input.partID) return { messageID: turn() }
  const at = message.parts.findIndex((p) => p.id === input.partID)
  if (at < 0) throw new NotFoundError(`Part not found: ${input.partID} (message ${input.messageID})`)
  const kept = message.parts.slice(0, at).some((p) => p.type === "text" || p.type === "tool")
  return kept ? { messageID: message.info.id, partID: input.partID } : { messageID: turn() }
}

/** Patch parts after the point, oldest first. */
function patchesAfter(history: MessageWithParts[], point: Pick<Point, "messageID" | "partID">): PatchPart[] {
  const out: PatchPart[] = []
  for (const m of history) {
    if (m.info.id < point.messageID) continue
    for (const p of m.parts) {
      if (p.type !== "patch") continue
      if (m.info.id === point.messageID && point.partID && p.id < point.partID) continue
      out.push(p)
    }
  }
  return out
}

/** The revert as a unified diff (from the state before it to now), for clients to show. */
function unified(diffs: FileDiff[], instance: Instance, files: string[]): string {
  const wanted = new Set(files.map((f) => path.relative(instance.worktree, path.resolve(instance.worktree, f))))
  return diffs
    .filter((d) => wanted.has(d.file) && d.before !== d.after)
    .map((d) => createTwoFilesPatch("a/" + d.file, "b/" + d.file, d.before, d.after, undefined, undefined, { context: 3 }))
    .join("")
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)]
}
