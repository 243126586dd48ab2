import fs from "node:fs"
import path from "node:path"

// The server's log files: one per run in <data>/log, named by start time, rolled over to a
// new file past MAX_BYTES, the oldest deleted beyond KEEP files. Writes are buffered and
// flushed a few times a second (and at exit), so a request log line costs no syscall.

const MAX_BYTES = 10 * 1024 * 1024
const KEEP = 10
const FLUSH_MS = 250

export type LogFile = { write(line: string): void; flush(): void; path(): string }

export function openLogFile(dir: string, limits: { maxBytes?: number; keep?: number } = {}): LogFile {
  const maxBytes = limits.maxBytes ?? MAX_BYTES
  const keep = limits.keep ?? KEEP
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const stamp = new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)
  let part = 0
  let file = ""
  let fd = -1
  let size = 0
  let pending: string[] = []
  let pendingBytes = 0

  const open = () => {
    file = path.join(dir, `${stamp}${part ? `-${part}` : ""}.log`)
    fd = fs.openSync(file, "a", 0o600)
    size = fs.fstatSync(fd).size
    prune(dir, keep)
  }
  const flush = () => {
    if (!pending.length) return
    const text = pending.join("")
    pending = []
    pendingBytes = 0
    try {
      fs.writeSync(fd, text)
      size += Buffer.byteLength(text)
      if (size > maxBytes) {
        fs.closeSync(fd)
        part++
        open()
      }
    } catch {
      // A full or vanished disk must not take the server down with it.
    }
  }
  open()
  setInterval(flush, FLUSH_MS).unref()
  process.on("exit", flush)
  return {
    write(line) {
      pending.push(line)
      pendingBytes += line.length
      if (pendingBytes > 64 * 1024) flush()
    },
    flush,
    path: () => file,
  }
}

function prune(dir: string, keep: number) {
  try {
    const logs = fs.readdirSync(dir).filter((f) => /^\d{8}T\d{6}(-\d+)?\.log$/.test(f)).sort(byAge)
    for (const f of logs.slice(0, Math.max(0, logs.length - keep))) fs.rmSync(path.join(dir, f), { force: true })
  } catch {}
}

// "20261204T163000-2.log" after "20261204T163000-1.log" after "20261204T163000.log".
function byAge(a: string, b: string) {
  const key = (f: string) => {
    const m = /^(\d{8}T\d{6})(?:-(\d+))?/.exec(f)!
    return [m[1], Number(m[2] ?? 0)] as const
  }
  const [ta, pa] = key(a)
  const [tb, pb] = key(b)
  return ta < tb ? -1 : ta > tb ? 1 : pa - pb
}
