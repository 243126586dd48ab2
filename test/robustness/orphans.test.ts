import { afterAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { Paths } from "../../src/global/paths"
import { reapOrphans } from "../../src/tool/process-registry"
import { runShell } from "../../src/tool/shell"
import { killMarked, processesWith, until } from "./lib"

// The reaper ends only what a dead server left behind: never a live server's commands, never
// a process that merely reuses a noted pid. (The crash test shows it ending real leftovers.)

const MARK = `orphans-${process.pid}-${Date.now()}`
afterAll(() => killMarked(MARK))

const folder = () => path.join(Paths.data, "processes")

test("a running command of a live server is noted, left alone by the reaper, and forgotten when it ends", async () => {
  const marker = `${MARK}-live`
  const controller = new AbortController()
  const run = runShell(`sleep 30; echo ${marker}`, { cwd: process.cwd(), timeoutMs: 30_000, signal: controller.signal })
  await until(() => processesWith(marker).length > 0, 5000, "the command")
  expect(fs.readdirSync(folder()).length).toBe(1)
  expect(reapOrphans()).toBe(0)
  expect(processesWith(marker).length).toBeGreaterThan(0)
  controller.abort()
  await run
  expect(fs.readdirSync(folder())).toEqual([])
})

test("an entry whose pid now belongs to another process is dropped without killing it", async () => {
  const marker = `${MARK}-reused`
  const other = Bun.spawn(["sh", "-c", `sleep 30; echo ${marker}`], { detached: true, stdout: "ignore" })
  await until(() => processesWith(marker).length > 0, 5000, "the other process")
  fs.mkdirSync(folder(), { recursive: true })
  // Noted by a server that is gone (pid 1's start time never matches a made-up one), for a
  // process that started at another time than the one now holding the pid.
  fs.writeFileSync(path.join(folder(), String(other.pid)), JSON.stringify({ pid: other.pid, start: "1", owner: 1, ownerStart: "1" }))
  expect(reapOrphans()).toBe(0)
  expect(processesWith(marker).length).toBeGreaterThan(0)
  expect(fs.readdirSync(folder())).toEqual([])
  other.kill("SIGKILL")
})

test("a group left by a dead server is killed, children included", async () => {
  const marker = `${MARK}-orphan`
  const leader = Bun.spawn(["sh", "-c", `sh -c 'sleep 30; echo ${marker}-child' & sleep 31; echo ${marker}`], { detached: true, stdout: "ignore" })
  // The leader and its child (which carries the marker too). The leader's own command line
  // names the child's marker as well, so wait for both processes, not for the first match.
  await until(() => processesWith(marker).length >= 2 && processesWith(`${marker}-child`).length >= 2, 5000, "the group")
  const stat = fs.readFileSync(`/proc/${leader.pid}/stat`, "utf8")
  const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]
  fs.writeFileSync(path.join(folder(), String(leader.pid)), JSON.stringify({ pid: leader.pid, start, owner: 1, ownerStart: "1" }))
  expect(reapOrphans()).toBe(1)
  await until(() => processesWith(marker).length === 0, 1000, "the group killed")
  await leader.exited
})
