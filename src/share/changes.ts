import path from "node:path"
import { getInstance } from "../project/instance"
import type { FileDiff, MessageWithParts, PatchPart, Session } from "../session/schema"
import { diff } from "../snapshot/snapshot"
import { createLog } from "../util/log"

const log = createLog("share")

// Computing the diff stages the worktree: a page reloaded by many viewers reuses one result
// while the session is unchanged.
const TTL = 30_000
const cache = new Map<string, { updated: number; at: number; value: Promise<FileDiff[]> }>()

/**
 * The files this session changed, before the session versus now. Only files named by the
 * session's own patch parts are shown: the page never reveals other files of the project.
 */
export function sessionChanges(session: Session, messages: MessageWithParts[]): Promise<FileDiff[]> {
  if (session.summary?.diffs?.length) return Promise.resolve(session.summary.diffs)
  const patches = messages.flatMap((m) => m.parts.filter((p): p is PatchPart => p.type === "patch"))
  if (!patches.length) return Promise.resolve([])
  const hit = cache.get(session.id)
  if (hit && hit.updated === session.time.updated && Date.now() - hit.at < TTL) return hit.value
  const value = compute(session, patches)
  cache.set(session.id, { updated: session.time.updated, at: Date.now(), value })
  for (const [id, entry] of cache) if (Date.now() - entry.at >= TTL) cache.delete(id)
  return value
}

async function compute(session: Session, patches: PatchPart[]): Promise<FileDiff[]> {
  try {
    const instance = await getInstance(session.directory)
    const touched = new Set(patches.flatMap((p) => p.files.map((f) => path.resolve(instance.worktree, f))))
    const all = await diff(instance, patches[0].hash)
    return all.filter((d) => touched.has(path.resolve(instance.worktree, d.file)))
  } catch (e) {
    log.warn("session diff unavailable for the share page", { sessionID: session.id, error: e })
    return []
  }
}
