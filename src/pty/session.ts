import type { Subprocess } from "bun"
import { Scrollback } from "./scrollback"
import type { Pty } from "./schema"

const SCROLLBACK_CHARS = 256 * 1024
/** After the process exits, how long its last output may take to come through the PTY. */
const DRAIN_MS = 200
/** Time between SIGHUP and SIGKILL when a terminal is removed. */
const KILL_GRACE_MS = 300

export type Listener = { data(chunk: string): void; end(): void }

export type SessionSpec = { id: string; title: string; command: string; args: string[]; cwd: string; env: Record<string, string> }

/**
 * One process on a pseudo-terminal: its output is kept in a bounded scrollback and handed to
 * every attached listener; it ends when the process exits, after its last output is delivered.
 */
export class PtySession {
  readonly info: Pty
  readonly scrollback = new Scrollback(SCROLLBACK_CHARS)
  /** The exit code (128 + signal number for a signal), once the last output is delivered. */
  readonly ended: Promise<number>
  private readonly listeners = new Set<Listener>()
  private readonly proc: Subprocess

  /** Throws when the command cannot be started (not found, not executable). */
  constructor(spec: SessionSpec) {
    const decoder = new TextDecoder()
    let eof!: () => void
    const drained = new Promise<void>((r) => (eof = r))
    this.proc = Bun.spawn([spec.command, ...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      terminal: {
        cols: 80,
        rows: 24,
        name: "xterm-256color",
        data: (_t, bytes) => this.output(decoder.decode(bytes, { stream: true })),
        exit: () => eof(),
      },
    })
    this.info = {
      id: spec.id,
      title: spec.title,
      command: spec.command,
      args: spec.args,
      cwd: spec.cwd,
      status: "running",
      pid: this.proc.pid,
    }
    this.ended = this.proc.exited.then(async (code) => {
      await Promise.race([drained, Bun.sleep(DRAIN_MS)])
      this.output(decoder.decode())
      this.info.status = "exited"
      this.proc.terminal?.close()
      for (const l of this.listeners) l.end()
      this.listeners.clear()
      return Number.isInteger(code) && code >= 0 ? code : 1
    })
  }

  get running() {
    return this.info.status === "running"
  }

  private output(chunk: string) {
    if (!chunk) return
    this.scrollback.push(chunk)
    for (const l of this.listeners) l.data(chunk)
  }

  /**
   * Adds a listener and returns, in the same tick, the output it missed since `cursor`
   * (0 = all that is held, -1 = none) and the position that replay ends at.
   */
  attach(cursor: number, listener: Listener): { replay: string; cursor: number; detach(): void } {
    this.listeners.add(listener)
    return { replay: this.scrollback.since(cursor), cursor: this.scrollback.end, detach: () => this.listeners.delete(listener) }
  }

  write(data: string | Uint8Array) {
    this.open()?.write(data)
  }

  resize(cols: number, rows: number) {
    this.open()?.resize(cols, rows)
  }

  /** The terminal, unless kill() or the exit already closed it. */
  private open() {
    const t = this.proc.terminal
    return this.running && t && !t.closed ? t : undefined
  }

  /**
   * Hangs up the terminal as closing a window does (the shell passes SIGHUP on to its jobs),
   * then SIGKILLs the process group if it is still there after a grace period.
   */
  async kill(): Promise<number> {
    if (!this.running) return this.ended
    this.proc.terminal?.close()
    signalGroup(this.proc, "SIGHUP")
    const gone = await Promise.race([this.ended.then(() => true), Bun.sleep(KILL_GRACE_MS).then(() => false)])
    if (!gone) signalGroup(this.proc, "SIGKILL")
    return this.ended
  }
}

// The PTY makes the process a session and process-group leader, so -pid reaches what it started
// in the foreground too.
function signalGroup(proc: Subprocess, signal: "SIGHUP" | "SIGKILL") {
  try {
    if (process.platform === "win32") proc.kill()
    else process.kill(-proc.pid, signal)
  } catch {
    try {
      proc.kill(signal)
    } catch {}
  }
}
