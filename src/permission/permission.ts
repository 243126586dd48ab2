import type { Instance } from "../project/instance"
import { Bus } from "../bus"
import { getConfig } from "../config/config"
import { PermissionDeniedError, PermissionRejectedError, type PermissionRequest } from "../tool/tool"
import { NotFoundError } from "../util/error"
import { ascending } from "../util/id"
import { createLog } from "../util/log"
import { permissionVerdict } from "../plugin"
import { PermissionAsked, PermissionReplied, PermissionUpdated } from "./events"
import { ruleset } from "./rules"
import { decide } from "./session-rules"
import { patternList, toRequestInfo, type Permission, type PermissionResponse } from "./schema"
import * as Store from "./store"
import { match } from "./wildcard"

const log = createLog("permission")

export type AskInput = {
  instance: Instance
  sessionID: string
  messageID: string
  callID?: string
  /** The SDK Agent running the tool; its `permission` overrides the config's rules. */
  agent?: { name?: string; permission?: unknown }
  request: PermissionRequest
  abort: AbortSignal
}

type Waiter = {
  info: Permission
  directory: string
  resolve: () => void
  reject: (e: Error) => void
}

const waiters = new Map<string, Waiter>()

/** At start-up: the requests a gone server left pending are expired and announced as rejected. */
export function expireStale() {
  for (const s of Store.expirePending()) publishReplied(s.directory, s.info, "reject")
}

/** Resolves when the request is allowed; throws PermissionDeniedError (text for the model) otherwise. */
export async function ask(input: AskInput): Promise<void> {
  const { instance, request, sessionID } = input
  const config = await getConfig(instance)
  const rules = ruleset(config.permission, input.agent?.permission)
  const patterns = patternList(request.pattern)
  const subjects = patterns.length ? patterns : ["*"]
  const verdict = decide(sessionID, rules, request.type, subjects)
  if (verdict.action === "allow") return
  if (verdict.action === "deny") throw new PermissionDeniedError(deniedByRule(request, verdict.subject, input.agent?.name))
  if (covered(sessionID, request.type, subjects)) return
  if (input.abort.aborted) throw new PermissionDeniedError(ABORTED)

  const info: Permission = {
    id: ascending("permission"),
    type: request.type,
    ...(request.pattern !== undefined ? { pattern: request.pattern } : {}),
    sessionID,
    messageID: input.messageID,
    ...(input.callID ? { callID: input.callID } : {}),
    title: request.title,
    metadata: request.metadata ?? {},
    time: { created: Date.now() },
  }
  const decided = await permissionVerdict(instance, info)
  if (decided === "allow") return
  if (decided === "deny") throw new PermissionDeniedError(deniedByPlugin(request))
  Store.insert(info, instance.directory)
  const owned = instance.state("permission.pending", () => new Set<string>(), expireAll)

  const done = new Promise<void>((resolve, reject) => {
    waiters.set(info.id, { info, directory: instance.directory, resolve, reject })
  })
  owned.add(info.id)
  const onAbort = () => settle(info.id, "aborted", "reject", new PermissionDeniedError(ABORTED))
  input.abort.addEventListener("abort", onAbort, { once: true })

  Bus.publish(instance.directory, PermissionUpdated, info)
  Bus.publish(instance.directory, PermissionAsked, toRequestInfo(info))
  try {
    await done
  } finally {
    input.abort.removeEventListener("abort", onAbort)
    owned.delete(info.id)
  }
}

/**
 * Answers a pending request. `always` also remembers the type and patterns for the rest of
 * the session and lets through other waiting requests they now cover.
 */
export function respond(input: { sessionID?: string; permissionID: string; response: PermissionResponse; message?: string }): true {
  const w = waiters.get(input.permissionID)
  if (!w || (input.sessionID && w.info.sessionID !== input.sessionID)) throw notFound(input.permissionID, input.sessionID)
  const { info } = w
  if (input.response === "reject") {
    // A rejection with feedback is guidance for the model, so only a bare one stops the reply.
    const Rejection = input.message ? PermissionDeniedError : PermissionRejectedError
    settle(info.id, "replied", "reject", new Rejection(rejectedByUser(info, input.message)))
    return true
  }
  if (input.response === "always") {
    const patterns = patternList(info.pattern)
    Store.approve(info.sessionID, info.type, patterns.length ? patterns : ["*"])
  }
  settle(info.id, "replied", input.response)
  if (input.response === "always") {
    for (const other of [...waiters.values()]) {
      if (other.info.sessionID !== info.sessionID || other.info.type !== info.type) continue
      const p = patternList(other.info.pattern)
      if (covered(info.sessionID, info.type, p.length ? p : ["*"])) settle(other.info.id, "replied", "always")
    }
  }
  return true
}

/** Pending requests for a directory (all directories when omitted), oldest first. */
export function list(directory?: string): Permission[] {
  return Store.pending(directory).map((s) => s.info)
}

/** Rejects every pending request of a session (abort of the whole session, deletion). */
export function rejectSession(sessionID: string, reason = ABORTED) {
  for (const w of [...waiters.values()])
    if (w.info.sessionID === sessionID) settle(w.info.id, "aborted", "reject", new PermissionDeniedError(reason))
}

/** Drops what a deleted session left: its pending requests and remembered approvals. */
export function removeSession(sessionID: string) {
  rejectSession(sessionID, "The session was deleted.")
  Store.removeSession(sessionID)
}

function settle(id: string, status: Exclude<Store.Status, "pending">, response: PermissionResponse, error?: Error) {
  const w = waiters.get(id)
  if (!w) return
  waiters.delete(id)
  Store.close(id, status, response)
  publishReplied(w.directory, w.info, response)
  if (error) w.reject(error)
  else w.resolve()
}

// Instance disposal (server shutdown, /instance/dispose) ends the waits: nobody could answer them.
function expireAll(ids: Set<string>) {
  for (const id of [...ids])
    settle(id, "expired", "reject", new PermissionDeniedError("The permission request was closed because the server stopped before anyone answered it."))
}

function covered(sessionID: string, type: string, subjects: string[]) {
  const approved = Store.approvals(sessionID).filter((a) => a.type === type)
  if (!approved.length) return false
  return subjects.every((s) => approved.some((a) => match(s, a.pattern)))
}

function publishReplied(directory: string, info: Permission, response: PermissionResponse) {
  Bus.publish(directory, PermissionReplied, {
    sessionID: info.sessionID,
    permissionID: info.id,
    response,
    requestID: info.id,
    reply: response,
  })
}

function notFound(id: string, sessionID?: string) {
  const stored = Store.get(id)
  if (stored && (!sessionID || stored.info.sessionID === sessionID)) {
    if (stored.status === "expired")
      return new NotFoundError(`Permission request ${id} expired: the server restarted before it was answered, so the tool call it belonged to was closed.`)
    return new NotFoundError(`Permission request ${id} is no longer pending (${stored.status === "aborted" ? "the session was aborted" : `already answered: ${stored.response}`}).`)
  }
  log.debug("unknown permission", { id, sessionID })
  return new NotFoundError(sessionID ? `No permission request ${id} in session ${sessionID}` : `No permission request ${id}`)
}

const ABORTED = "The permission request was cancelled because the session was aborted."

function deniedByRule(req: PermissionRequest, subject: string | undefined, agent?: string) {
  const what = subject && subject !== "*" ? `${req.type} "${subject}"` : req.type
  return `Permission denied: the configured rules${agent ? ` for agent "${agent}"` : ""} forbid ${what} (${req.title}). Do not retry it; find another way or ask the user.`
}

function deniedByPlugin(req: PermissionRequest) {
  return `Permission denied by a plugin: ${req.type} (${req.title}) is not allowed. Do not retry it; find another way or ask the user.`
}

function rejectedByUser(info: Permission, message?: string) {
  return `The user rejected this ${info.type} request (${info.title}).${message ? ` They said: ${message}` : ""} Do not retry it; ask the user how to proceed.`
}
