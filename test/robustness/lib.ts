import fs from "node:fs"
import { expect } from "bun:test"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { FROM_SOURCE, spawnServe, type ServeProcess } from "../cli/serve-process"
import { sseReader } from "../helpers/sse"

export type Client = ReturnType<typeof createOpencodeClient>

/** `bun src/index.ts serve` as a child process on the given data directory (kill -9 able). */
export async function childServer(cwd: string, dataDir: string, procs: ServeProcess[]) {
  const p = await spawnServe([...FROM_SOURCE, "serve", "--port", "0"], { cwd, env: { OPENCODE_BUN_DATA_DIR: dataDir } })
  procs.push(p)
  return { ...p, sdk: (directory: string) => createOpencodeClient({ baseUrl: p.base, directory }) }
}

/** Every event of every directory, as `{ directory, payload }`. */
export async function globalEvents(base: string) {
  const sse = sseReader(await fetch(`${base}/global/event`))
  await sse.next((e) => e.data.payload?.type === "server.connected")
  return sse
}

/** Pids of live processes whose command line contains `marker` (a string only our test commands carry). */
export function processesWith(marker: string): number[] {
  const out: number[] = []
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ")
      if (!cmd.includes(marker)) continue
      // A zombie (killed, not yet reaped by its parent) is not running anything.
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8")
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue
      out.push(Number(name))
    } catch {}
  }
  return out
}

/** Test cleanup for processes a SIGKILLed server could not stop. */
export function killMarked(marker: string) {
  for (const pid of processesWith(marker))
    try {
      process.kill(pid, "SIGKILL")
    } catch {}
}

export { until } from "../helpers/wait"

/**
 * The project rule, checked on one session's stored history: no assistant message left open,
 * no tool call left pending or running, no text still streaming, no compaction flag left on.
 */
export async function assertSettled(c: Client, sessionID: string) {
  const session = (await c.session.get({ path: { id: sessionID } })).data as any
  expect(session.time.compacting).toBeUndefined()
  const history = (await c.session.messages({ path: { id: sessionID } })).data!
  for (const m of history) {
    const info = m.info as any
    if (info.role === "assistant") expect({ id: info.id, completed: typeof info.time.completed }).toEqual({ id: info.id, completed: "number" })
    for (const p of m.parts as any[]) {
      if (p.type === "tool") expect({ id: p.id, status: p.state.status }).not.toMatchObject({ status: expect.stringMatching(/^(pending|running)$/) })
      if ((p.type === "text" || p.type === "reasoning") && p.time) expect({ id: p.id, end: typeof p.time.end }).toEqual({ id: p.id, end: "number" })
    }
  }
  return history
}

export const text = (s: string) => ({ parts: [{ type: "text" as const, text: s }] })

/** Parts as the stream last announced them, by id. */
export function announcedParts(events: Array<{ data: any }>, sessionIDs: Set<string>) {
  const parts = new Map<string, any>()
  for (const e of events) {
    const p = e.data.payload ?? e.data
    if (p.type === "message.part.updated" && sessionIDs.has(p.properties.part.sessionID)) parts.set(p.properties.part.id, p.properties.part)
    if (p.type === "message.part.removed") parts.delete(p.properties.partID)
  }
  return parts
}
