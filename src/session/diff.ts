import path from "node:path"
import type { Instance } from "../project/instance"
import { sessionInstance } from "./session-instance"
import { Bus } from "../bus"
import { diff } from "../snapshot/snapshot"
import { NotFoundError } from "../util/error"
import { createLog } from "../util/log"
import type { FileDiff, Session } from "./schema"
import { SessionDiff } from "./events"
import * as Sessions from "./session"
import * as Messages from "./message-store"
import * as Changes from "./change-store"
import type { ChangePart } from "./change-store"

const log = createLog("session.diff")

/**
 * What a range of steps changed: each file named by the range's patch parts, from the
 * snapshot before its first step with tools to the one after its last. Files other sessions
 * or the user touched meanwhile are not the range's doing and are left out.
 */
export async function changesOf(instance: Instance, parts: ChangePart[]): Promise<FileDiff[]> {
  const from = parts.find((p) => p.type === "step-start" && p.snapshot)
  const to = parts.findLast((p) => p.type === "step-finish" && p.snapshot)
  const files = new Set(parts.flatMap((p) => (p.type === "patch" ? p.files.map((f) => path.relative(instance.worktree, path.resolve(instance.worktree, f))) : [])))
  if (from?.type !== "step-start" || !from.snapshot || files.size === 0) return []
  return (await diff(instance, from.snapshot, to?.type === "step-finish" ? to.snapshot : undefined)).filter((d) => files.has(d.file))
}

/** Change parts the session still shows: those before its revert point, if it has one. */
export function visibleChanges(session: Session): ChangePart[] {
  const parts = Changes.sessionChanges(session.id)
  const point = session.revert
  if (!point) return parts
  return parts.filter((p) => p.messageID < point.messageID || (!!point.partID && p.messageID === point.messageID && p.id < point.partID))
}

/**
 * GET /session/:id/diff: the session's file changes (what a revert has undone excluded), or
 * one message's: a user message's covers the replies to it.
 */
export async function sessionDiff(requestInstance: Instance, sessionID: string, messageID?: string): Promise<FileDiff[]> {
  const session = Sessions.get(sessionID)
  const instance = await sessionInstance(requestInstance, session)
  if (!messageID) return changesOf(instance, visibleChanges(session))
  if (!Messages.getMessage(sessionID, messageID)) throw new NotFoundError(`Message not found: ${messageID} (session ${sessionID})`)
  return changesOf(instance, Changes.messageChanges(sessionID, messageID))
}

/**
 * Recomputes the session's `summary` (line and file counts) and announces the diff as
 * `session.diff`. Never throws: a summary is not worth failing the request that changed files.
 */
export async function summarize(instance: Instance, sessionID: string): Promise<FileDiff[]> {
  try {
    const diffs = await changesOf(instance, visibleChanges(Sessions.get(sessionID)))
    const current = Sessions.get(sessionID)
    const summary = {
      additions: diffs.reduce((n, d) => n + d.additions, 0),
      deletions: diffs.reduce((n, d) => n + d.deletions, 0),
      files: diffs.length,
    }
    const old = current.summary
    if (!old || old.additions !== summary.additions || old.deletions !== summary.deletions || old.files !== summary.files) {
      current.summary = summary
      Sessions.save(current)
    }
    Bus.publish(current.directory, SessionDiff, { sessionID, diff: diffs })
    return diffs
  } catch (e) {
    log.warn("session summary failed", { sessionID, error: e })
    return []
  }
}

/** After a prompt's run: a new summary when its steps changed files. */
export async function summarizeTurn(instance: Instance, sessionID: string, userMessageID: string) {
  if (Changes.changedSince(sessionID, userMessageID)) await summarize(instance, sessionID)
}
