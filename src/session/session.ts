import path from "node:path"
import type { Instance } from "../project/instance"
import { Bus } from "../bus"
import { BadRequestError, NotFoundError } from "../util/error"
import { ascending } from "../util/id"
import { VERSION } from "../global/version"
import type { Session } from "./schema"
import { SessionCreated, SessionUpdated, SessionDeleted } from "./events"
import * as Store from "./store"
import { setSessionRules, type PermissionRule } from "../permission/session-rules"
import { slugFor } from "./slug"

const DEFAULT_PREFIX = { root: "New session - ", child: "Child session - " }

export function defaultTitle(child: boolean, at = Date.now()) {
  return (child ? DEFAULT_PREFIX.child : DEFAULT_PREFIX.root) + new Date(at).toISOString()
}

export function isDefaultTitle(title: string) {
  return /^(New session|Child session) - \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(title)
}

export type CreateInput = {
  parentID?: string
  title?: string
  permission?: PermissionRule[]
  agent?: string
  model?: Session["model"]
  metadata?: Record<string, unknown>
}

export function create(instance: Instance, input: CreateInput = {}): Session {
  if (input.parentID) get(input.parentID)
  const now = Date.now()
  const id = ascending("session", now)
  const session: Session = {
    id,
    slug: slugFor(id),
    projectID: instance.project.id,
    directory: instance.directory,
    ...(input.parentID ? { parentID: input.parentID } : {}),
    title: input.title?.trim() || defaultTitle(!!input.parentID, now),
    version: VERSION,
    cost: 0,
    tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
    ...(input.agent ? { agent: input.agent } : {}),
    ...(input.model ? { model: input.model } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
    ...(input.permission?.length ? { permission: input.permission.map((r) => ({ permission: r.permission, pattern: r.pattern, action: r.action })) } : {}),
    time: { created: now, updated: now },
  }
  Store.insert(session)
  setSessionRules(session.id, input.permission)
  Bus.publish(session.directory, SessionCreated, { info: session })
  return session
}

export function get(id: string): Session {
  const s = Store.get(id)
  if (!s) throw new NotFoundError(`Session not found: ${id}`)
  return s
}

export type ListQuery = {
  /** "project": every directory of the project, even outside git. */
  scope?: "project"
  /** Sessions in this worktree-relative directory or below ("" = the whole worktree). */
  path?: string
  roots?: boolean
  start?: number
  search?: string
  limit?: number
}

/**
 * Sessions of the instance's project, most recently updated first. Directories outside any
 * git repository all share the "global" project, so there the list is per directory unless
 * `scope` or `path` widens it (to the whole project, or a subtree).
 */
export function list(instance: Instance, query: ListQuery = {}): Session[] {
  if (query.limit !== undefined && query.limit < 0) throw new BadRequestError(`Invalid query field 'limit': must be 0 or more, got ${query.limit}`, "Query")
  const global = instance.project.id === "global"
  let directory: string | undefined
  let under: string | undefined
  // As in opencode: an empty path means the whole project, except that the shared global
  // project's "worktree" is the directory itself.
  if (query.path !== undefined) {
    if (query.path || global) under = path.resolve(instance.worktree, query.path)
  } else if (query.scope !== "project" && global) directory = instance.directory
  return Store.list({ projectID: instance.project.id, directory, under, roots: query.roots, start: query.start, search: query.search, limit: query.limit })
}

export function children(id: string): Session[] {
  get(id)
  return Store.children(id)
}

export type UpdateInput = { title?: string; metadata?: Record<string, unknown>; permission?: PermissionRule[]; time?: { archived?: number | null } }

/** PATCH /session/:id: rename, replace metadata or permission rules, archive (a time) or unarchive (null). */
export function update(id: string, patch: UpdateInput): Session {
  const s = get(id)
  if (patch.title !== undefined) s.title = patch.title
  if (patch.metadata !== undefined) s.metadata = patch.metadata
  if (patch.permission !== undefined) {
    setSessionRules(id, patch.permission)
    if (patch.permission.length) s.permission = patch.permission.map((r) => ({ permission: r.permission, pattern: r.pattern, action: r.action }))
    else delete s.permission
  }
  if (patch.time && "archived" in patch.time) {
    if (typeof patch.time.archived === "number") s.time.archived = patch.time.archived
    else delete s.time.archived
  }
  return save(s)
}

/** Bumps `time.updated`, refreshes the usage totals, stores and announces the session. */
export function save(s: Session): Session {
  Object.assign(s, Store.usage(s.id))
  s.time.updated = Math.max(Date.now(), s.time.updated + 1)
  Store.write(s)
  Bus.publish(s.directory, SessionUpdated, { info: s })
  return s
}

/** Saves the session; `latest` records the agent and model a new prompt uses. */
export function touch(id: string, latest?: { agent: string; model: { providerID: string; modelID: string; variant?: string } }) {
  const s = Store.get(id)
  if (!s) return
  if (latest) {
    s.agent = latest.agent
    s.model = { id: latest.model.modelID, providerID: latest.model.providerID, ...(latest.model.variant ? { variant: latest.model.variant } : {}) }
  }
  save(s)
}

/** Removes the session with its messages, parts, todos and child sessions, deepest first. */
export function removeTree(id: string, beforeEach: (s: Session) => void): Session[] {
  const tree = Store.subtree(id)
  if (tree.length === 0) throw new NotFoundError(`Session not found: ${id}`)
  for (const s of tree) beforeEach(s)
  Store.remove(id)
  for (const s of tree.reverse()) Bus.publish(s.directory, SessionDeleted, { info: s })
  return tree
}
