import fs from "node:fs"

/**
 * A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat): with the pid,
 * it names one process, never a later one that got the same pid. Undefined when the process is
 * gone, a zombie, or there is no /proc (not Linux).
 */
export function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    // A zombie is dead: only its parent reaping it keeps the entry.
    if (fields[0] === "Z") return undefined
    return fields[19]
  } catch {
    return undefined
  }
}
