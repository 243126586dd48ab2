import fs from "node:fs"
import path from "node:path"
import { HeadTail } from "./head-tail"
import { track } from "./process-registry"
import { childEnv } from "../util/child-env"

export const OUTPUT_HEAD_CHARS = 10_000
export const OUTPUT_TAIL_CHARS = 20_000
/** Time a process group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 200
/** How long to wait for pipes to drain after the shell exits (background jobs may hold them). */
const DRAIN_MS = 200

export type ShellRun = {
  output: HeadTail
  exit: number | null
  signal: string | null
  stopped?: "timeout" | "abort"
}

/**
 * Runs a command through the user's shell in its own process group, so a timeout or an
 * abort kills the command and everything it started, not just the shell.
 */
export async function runShell(
  command: string,
  opts: { cwd: string; timeoutMs: number; signal: AbortSignal; onOutput?(out: HeadTail): void; env?: Record<string, string> },
): Promise<ShellRun> {
  const output = new HeadTail(OUTPUT_HEAD_CHARS, OUTPUT_TAIL_CHARS)
  const proc = Bun.spawn(shellArgv(command), {
    cwd: opts.cwd,
    env: childEnv({ PAGER: "cat", GIT_PAGER: "cat", ...opts.env }),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: process.platform !== "win32",
  })
  // Noted while it runs, so a server restarted after a crash can end it (see process-registry).
  const forget = track(proc.pid)
  const readers = [proc.stdout, proc.stderr].map((s) => s.getReader())
  const pumps = readers.map(async (reader) => {
    const decoder = new TextDecoder()
    try {
      while (true) {
        const { done, value } = await reader.read()
        if (done) break
        output.push(decoder.decode(value, { stream: true }))
        opts.onOutput?.(output)
      }
    } catch {}
  })

  let stopped: ShellRun["stopped"]
  const stop = (why: "timeout" | "abort") => {
    if (stopped) return
    stopped = why
    killGroup(proc.pid, "SIGTERM")
    setTimeout(() => killGroup(proc.pid, "SIGKILL"), KILL_GRACE_MS).unref()
  }
  const onAbort = () => stop("abort")
  const timer = setTimeout(() => stop("timeout"), opts.timeoutMs)
  opts.signal.addEventListener("abort", onAbort, { once: true })
  if (opts.signal.aborted) onAbort()
  try {
    await proc.exited
  } finally {
    forget()
    clearTimeout(timer)
    opts.signal.removeEventListener("abort", onAbort)
  }
  const drained = await Promise.race([Promise.all(pumps).then(() => true), Bun.sleep(DRAIN_MS).then(() => false)])
  if (!drained) for (const r of readers) r.cancel().catch(() => {})
  return { output, exit: proc.exitCode, signal: proc.signalCode ? String(proc.signalCode) : null, stopped }
}

function killGroup(pid: number, signal: "SIGTERM" | "SIGKILL") {
  if (process.platform === "win32") {
    Bun.spawnSync(["taskkill", "/pid", String(pid), "/T", "/F"], { stdout: "ignore", stderr: "ignore" })
    return
  }
  try {
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {}
  }
}

// Shells whose `-c` takes POSIX-style syntax; fish or nushell would misread what models write.
export const POSIX_SHELLS = new Set(["bash", "zsh", "sh", "dash", "ksh", "mksh", "ash"])

function shellArgv(command: string): string[] {
  if (process.platform === "win32") return [process.env.COMSPEC || "cmd.exe", "/d", "/s", "/c", command]
  const user = process.env.SHELL
  if (user && POSIX_SHELLS.has(path.basename(user)) && fs.existsSync(user)) return [user, "-c", command]
  return [Bun.which("bash") ?? "/bin/sh", "-c", command]
}
