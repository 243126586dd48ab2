import fs from "node:fs"
import path from "node:path"
import type { Subprocess } from "bun"
import { tmpdir } from "../helpers/tmp"

export const ROOT = path.resolve(import.meta.dir, "../..")
/** The server run from source, as `bun src/index.ts`. */
export const FROM_SOURCE = [process.execPath, path.join(ROOT, "src/index.ts")]

export type ServeProcess = {
  proc: Subprocess<"ignore", "pipe", "pipe">
  /** The URL from the "listening on" line. */
  url: string
  port: number
  /** A URL a client on this machine can use (wildcard addresses mapped to loopback). */
  base: string
  dataDir: string
  stdout: () => string
  stderr: () => string
  /** Waits until stdout or stderr contains `text` (output after the URL line arrives later). */
  waitOutput: (text: string, timeoutMs?: number) => Promise<string>
  /** Sends the signal and resolves with the exit code and how long the exit took. */
  signal: (sig: "SIGINT" | "SIGTERM") => Promise<{ code: number | null; ms: number }>
}

export type RunResult = { code: number | null; stdout: string; stderr: string }

function collect(stream: ReadableStream<Uint8Array>, onText: (all: string) => void) {
  let text = ""
  const decoder = new TextDecoder()
  const done = (async () => {
    const reader = stream.getReader()
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      text += decoder.decode(r.value, { stream: true })
      onText(text)
    }
  })()
  return { text: () => text, done }
}

function childEnv(extra: Record<string, string | undefined>, dataDir: string) {
  const env: Record<string, string | undefined> = { ...process.env, OPENCODE_BUN_DATA_DIR: dataDir }
  delete env.OPENCODE_SERVER_PASSWORD
  delete env.OPENCODE_SERVER_USERNAME
  return { ...env, ...extra }
}

/** Runs a command that is expected to exit by itself (--version, bad flags...). */
export async function run(cmd: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const proc = Bun.spawn(cmd, { cwd: opts.cwd ?? tmpdir(), env: childEnv(opts.env ?? {}, tmpdir("data-")), stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  const timer = setTimeout(() => proc.kill("SIGKILL"), opts.timeoutMs ?? 10_000)
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(timer)
  return { code, stdout, stderr }
}

const LISTENING = /opencode server listening on (http:\/\/(\[[^\]]+\]|[^:/\s]+):(\d+))/

/** Starts `cmd` and resolves once it prints its URL; rejects with its output if it exits first. */
export async function spawnServe(
  cmd: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number; spawnPrefix?: string[] } = {},
): Promise<ServeProcess> {
  const dataDir = tmpdir("data-")
  const proc = Bun.spawn([...(opts.spawnPrefix ?? []), ...cmd], {
    cwd: opts.cwd ?? tmpdir(),
    env: childEnv(opts.env ?? {}, dataDir),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  })
  let resolveUrl: (m: RegExpMatchArray) => void = () => {}
  const found = new Promise<RegExpMatchArray>((r) => (resolveUrl = r))
  const out = collect(proc.stdout, (all) => {
    const m = all.match(LISTENING)
    if (m) resolveUrl(m)
  })
  const err = collect(proc.stderr, () => {})
  const timeoutMs = opts.timeoutMs ?? 10_000
  let timer: ReturnType<typeof setTimeout> | undefined
  const m = await Promise.race([
    found,
    proc.exited.then(async (code) => {
      await Promise.all([out.done, err.done])
      throw new Error(`server exited with ${code} before listening:\n${out.text()}${err.text()}`)
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        proc.kill("SIGKILL")
        reject(new Error(`server did not print its URL within ${timeoutMs} ms:\n${out.text()}${err.text()}`))
      }, timeoutMs)
    }),
  ]).finally(() => clearTimeout(timer))
  const [, url, host, port] = m
  const wildcard = host === "0.0.0.0" || host === "[::]"
  return {
    proc,
    url,
    port: Number(port),
    base: wildcard ? `http://127.0.0.1:${port}` : url,
    dataDir,
    stdout: out.text,
    stderr: err.text,
    async waitOutput(text, ms = 5000) {
      const deadline = Date.now() + ms
      while (Date.now() < deadline) {
        const all = out.text() + err.text()
        if (all.includes(text)) return all
        await Bun.sleep(20)
      }
      throw new Error(`no output containing ${JSON.stringify(text)} within ${ms} ms:\n${out.text()}${err.text()}`)
    },
    async signal(sig) {
      const t0 = performance.now()
      proc.kill(sig)
      const code = await Promise.race([proc.exited, Bun.sleep(5000).then(() => null)])
      const ms = performance.now() - t0
      if (code === null) proc.kill("SIGKILL")
      await Promise.all([out.done, err.done])
      return { code, ms }
    },
  }
}

/** Kills whatever a failed test left running. */
export function reap(list: ServeProcess[]) {
  for (const s of list.splice(0)) if (s.proc.exitCode === null) s.proc.kill("SIGKILL")
}

export function walFile(dataDir: string) {
  return path.join(dataDir, "opencode.db-wal")
}

export const exists = (p: string) => fs.existsSync(p)
