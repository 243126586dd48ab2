import fs from "node:fs"
import path from "node:path"
import { Bus } from "../bus"
import { getConfig } from "../config/config"
import type { Instance } from "../project/instance"
import { contains } from "../project/paths"
import { ascending } from "../util/id"
import { BadRequestError, ForbiddenError, NotFoundError, UnavailableError, errorMessage } from "../util/error"
import { limit } from "../global/limits"
import { createLog } from "../util/log"
import { PtyCreated, PtyDeleted, PtyExited, PtyUpdated } from "./events"
import type { Pty, PtyCreateInput, PtyUpdateInput } from "./schema"
import { PtySession, type Listener } from "./session"
import { defaultShell } from "./shells"
import { issueTicket } from "./ticket"
import { SERVER_SECRETS } from "../global/settings"

const log = createLog("pty")

// Every terminal still running, in any directory: each holds a process and a PTY device.
const live = new Set<PtySession>()

/**
 * The terminals of one directory. They die with it: removed, the instance disposed, the
 * server stopped. A terminal whose process exits is gone from the list at once (pty.exited,
 * then pty.deleted), as on the real server's v1 routes.
 */
function terminals(instance: Instance) {
  return instance.state(
    "pty",
    () => new Map<string, PtySession>(),
    (map) => Promise.all([...map.values()].map((s) => s.kill())),
  )
}

function find(instance: Instance, id: string): PtySession {
  const s = terminals(instance).get(id)
  if (!s || !s.running) throw new NotFoundError(`PTY session not found: ${id}`)
  return s
}

/** Published and returned values are copies: the live info keeps changing. */
function snapshot(info: Pty): Pty {
  return { ...info, args: [...info.args] }
}

export function list(instance: Instance): Pty[] {
  return [...terminals(instance).values()].filter((s) => s.running).map((s) => snapshot(s.info))
}

export function get(instance: Instance, id: string): Pty {
  return snapshot(find(instance, id).info)
}

export async function create(instance: Instance, input: PtyCreateInput): Promise<Pty> {
  const cwd = resolveCwd(instance, input.cwd)
  const shell = input.command ? undefined : defaultShell((await getConfig(instance)).shell)
  const command = input.command || shell!.command
  const args = input.args ?? shell?.args ?? []
  const max = limit("ptys")
  if (live.size >= max)
    throw new UnavailableError("TooManyPtysError", `${live.size} terminals are already running (limit ${max}, raised with --max-ptys): remove one first.`)
  const id = ascending("pty")
  let session: PtySession
  try {
    session = new PtySession({ id, title: input.title || `Terminal ${id.slice(-4)}`, command, args, cwd, env: childEnv(input.env) })
  } catch (e) {
    throw new BadRequestError(`Cannot start '${command}': ${errorMessage(e)}`, "Body")
  }
  log.info("created", { id, command, args, cwd, pid: session.info.pid })
  const map = terminals(instance)
  map.set(id, session)
  live.add(session)
  Bus.publish(instance.directory, PtyCreated, { info: snapshot(session.info) })
  session.ended.then((exitCode) => {
    live.delete(session)
    log.info("exited", { id, exitCode })
    Bus.publish(instance.directory, PtyExited, { id, exitCode })
    // remove() takes it out of the map first and announces the deletion itself.
    if (map.get(id) !== session) return
    map.delete(id)
    Bus.publish(instance.directory, PtyDeleted, { id })
  })
  return snapshot(session.info)
}

export function update(instance: Instance, id: string, input: PtyUpdateInput): Pty {
  const session = find(instance, id)
  if (input.title !== undefined) session.info.title = input.title
  if (input.size) session.resize(input.size.cols, input.size.rows)
  const info = snapshot(session.info)
  Bus.publish(instance.directory, PtyUpdated, { info })
  return info
}

/** Kills the process (and what it runs in the foreground) and waits until it is gone. */
export async function remove(instance: Instance, id: string): Promise<boolean> {
  const session = find(instance, id)
  terminals(instance).delete(id)
  await session.kill()
  Bus.publish(instance.directory, PtyDeleted, { id })
  return true
}

/** Output since `cursor`, then live output to `listener` until the process ends or detach(). */
export function attach(instance: Instance, id: string, cursor: number, listener: Listener) {
  const session = find(instance, id)
  const attached = session.attach(cursor, listener)
  return { ...attached, write: (data: string | Uint8Array) => session.write(data) }
}

export function connectToken(instance: Instance, id: string) {
  find(instance, id)
  return issueTicket({ ptyID: id, directory: instance.directory })
}

function resolveCwd(instance: Instance, cwd: string | undefined): string {
  if (!cwd) return instance.directory
  if (cwd.includes("\0")) throw new BadRequestError("cwd contains a NUL byte", "Body")
  const absolute = path.resolve(instance.directory, cwd)
  if (!contains(instance.directory, absolute) && !contains(instance.worktree, absolute))
    throw new ForbiddenError(`cwd '${cwd}' is outside the project directory`)
  let stat: fs.Stats
  try {
    stat = fs.statSync(absolute)
  } catch {
    throw new BadRequestError(`cwd '${cwd}' does not exist`, "Body")
  }
  if (!stat.isDirectory()) throw new BadRequestError(`cwd '${cwd}' is not a directory`, "Body")
  return absolute
}

function childEnv(extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  // The server's own credentials are not the terminal's business.
  for (const name of SERVER_SECRETS) delete env[name]
  return { ...env, TERM: "xterm-256color", ...extra }
}
