import fs from "node:fs"

/**
 * Polls until fn() is truthy and returns its value, or throws after timeoutMs naming `what`.
 * Tests wait for the condition itself rather than sleeping a fixed time: a fixed sleep is too
 * short on a loaded machine and wastes time on an idle one.
 */
export async function until<T>(fn: () => T | Promise<T>, timeoutMs = 5000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  while (true) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(10)
  }
}

/**
 * Whether the process runs: it exists and is not a zombie (an orphan's zombie may linger where
 * pid 1 does not reap, and `kill(pid, 0)` still finds it). Reads Linux's /proc.
 */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    // The state follows the command name, which may itself contain ") ".
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z"
  } catch {
    return false
  }
}
