export type RgRun = { code: number | null; stderr: string; stopped: boolean }

/**
 * The one place rg is spawned. Hands each stdout line to onLine; returning false stops rg
 * early (the result then says stopped). Exit code 1 means "no match" for rg, not a failure.
 * Undefined when rg could not even start, so the caller can fall back to the walker.
 */
export async function runRipgrep(
  rg: string,
  args: string[],
  opts: { cwd: string; signal?: AbortSignal; onLine(line: string): boolean | void },
): Promise<RgRun | undefined> {
  let proc: ReturnType<typeof Bun.spawn<"ignore", "pipe", "pipe">>
  try {
    proc = Bun.spawn([rg, ...args], { cwd: opts.cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" })
  } catch {
    return undefined
  }
  const kill = () => proc.kill("SIGKILL")
  opts.signal?.addEventListener("abort", kill, { once: true })
  const stderr = new Response(proc.stderr).text()
  let stopped = false
  const reader = proc.stdout.getReader()
  try {
    const decoder = new TextDecoder()
    let pending = ""
    outer: while (true) {
      const { done, value } = await reader.read()
      if (done) break
      const lines = (pending + decoder.decode(value, { stream: true })).split("\n")
      pending = lines.pop()!
      for (const line of lines) {
        if (opts.onLine(line) === false) {
          stopped = true
          break outer
        }
      }
    }
    if (!stopped && pending) opts.onLine(pending)
  } catch (e) {
    kill()
    throw e
  } finally {
    opts.signal?.removeEventListener("abort", kill)
    if (stopped) {
      kill()
      reader.cancel().catch(() => {})
    }
  }
  const code = await proc.exited
  return { code: stopped ? 0 : code, stderr: await stderr, stopped }
}
