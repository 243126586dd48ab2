import type { Session, MessageWithParts } from "../schema"
import * as Status from "../status"
import { RunStopped } from "./errors"
import { createLog } from "../../util/log"
import { TooManyRequestsError } from "../../util/error"
import { limit } from "../../global/limits"
import { claimRun, releaseRun } from "../run-store"
import { collectIfGrown } from "../../util/idle-gc"

const log = createLog("session.runner")

// One run queue per session: a prompt sent while the session is busy waits its turn, so two
// prompts never write into the same history at once. Different sessions run in parallel.

export type Job = {
  run: (signal: AbortSignal) => Promise<MessageWithParts>
  /** The answer for a prompt cancelled (by abort) before it ran. */
  cancelled: () => MessageWithParts
}

type Entry = Job & { resolve: (r: MessageWithParts) => void; reject: (e: unknown) => void }

type Run = {
  session: Pick<Session, "id" | "projectID" | "directory">
  queue: Entry[]
  controller?: AbortController
  done: Promise<void>
}

const runs = new Map<string, Run>()
// Runs promised to requests still storing their user message: counted so that many requests
// arriving at once cannot all pass the check before any of them is running.
let reserved = 0

/**
 * A client's request to start a run: refused with 429 when the server already runs its limit
 * of prompts. A prompt for a session already running only queues, so it is always let in; a
 * subagent's run belongs to its parent's and never comes through here. Call the answer once
 * the run is enqueued (or the request failed).
 */
export function admit(sessionID: string): () => void {
  if (runs.has(sessionID)) return () => {}
  const max = limit("prompts")
  if (runs.size + reserved >= max)
    throw new TooManyRequestsError(
      "TooManyPromptsError",
      `The server is already running ${runs.size} prompts (limit ${max}, raised with --max-prompts): try again when some finish.`,
    )
  reserved++
  let held = true
  return () => {
    if (held) reserved--
    held = false
  }
}
// Work done for a session before its prompt is queued (a command's !`cmd` output): abort stops it too.
const preparing = new Map<string, { directory: string; controllers: Set<AbortController> }>()

/** A signal that the session's abort fires, for work that runs before the prompt is queued. */
export function prepare(session: Run["session"]): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController()
  const entry = preparing.get(session.id) ?? { directory: session.directory, controllers: new Set() }
  entry.controllers.add(controller)
  preparing.set(session.id, entry)
  const release = () => {
    entry.controllers.delete(controller)
    if (!entry.controllers.size && preparing.get(session.id) === entry) preparing.delete(session.id)
  }
  return { signal: controller.signal, release }
}

/** Marks the session busy at once (before any await) and resolves with the job's answer. */
export function enqueue(session: Run["session"], job: Job): Promise<MessageWithParts> {
  return new Promise((resolve, reject) => {
    const entry = { ...job, resolve, reject }
    const existing = runs.get(session.id)
    if (existing) {
      existing.queue.push(entry)
      return
    }
    const run: Run = { session, queue: [entry], done: Promise.resolve() }
    runs.set(session.id, run)
    claimRun(session.id)
    Status.set(session, { type: "busy" })
    run.done = drain(run)
  })
}

async function drain(run: Run) {
  try {
    for (let job = run.queue.shift(); job; job = run.queue.shift()) {
      const controller = new AbortController()
      run.controller = controller
      try {
        job.resolve(await job.run(controller.signal))
      } catch (e) {
        job.reject(e)
      }
    }
  } catch (e) {
    log.error("run failed", { sessionID: run.session.id, error: e })
  } finally {
    runs.delete(run.session.id)
    releaseRun(run.session.id)
    Status.set(run.session, { type: "idle" })
    collectIfGrown()
  }
}

export function isBusy(sessionID: string) {
  return runs.has(sessionID)
}

/**
 * Stops the running prompt and cancels the queued ones. False when nothing was running.
 * `reason` says why when it is the server, not the user, stopping it.
 */
export function abort(sessionID: string, reason?: RunStopped): boolean {
  const prep = [...(preparing.get(sessionID)?.controllers ?? [])]
  for (const c of prep) c.abort(reason)
  const run = runs.get(sessionID)
  if (!run) return prep.length > 0
  const cancelled = run.queue.splice(0)
  run.controller?.abort(reason)
  for (const job of cancelled) {
    try {
      job.resolve(job.cancelled())
    } catch (e) {
      job.reject(e)
    }
  }
  return true
}

/** Resolves when the session has nothing running or queued. */
export function settled(sessionID: string): Promise<void> {
  return runs.get(sessionID)?.done ?? Promise.resolve()
}

/** Aborts every run of a directory and waits (bounded) for them to wind down. */
export async function abortDirectory(directory: string, waitMs = 2000) {
  const mine = [...runs.values()].filter((r) => r.session.directory === directory)
  const reason = new RunStopped("Stopped: the server shut down (or the project instance was disposed) before this finished.")
  for (const r of mine) abort(r.session.id, reason)
  for (const [id, p] of preparing) if (p.directory === directory && !runs.has(id)) abort(id, reason)
  await Promise.race([Promise.all(mine.map((r) => r.done)), Bun.sleep(waitMs)])
}

/** Sessions running a prompt, and prompts waiting behind them (for /metrics). */
export function runStats() {
  let queued = 0
  for (const r of runs.values()) queued += r.queue.length
  return { busy: runs.size, queued }
}
