// Minimal structured logger: one line per entry on stderr, so stdout stays clean for the
// URL line scripts read. Level from OPENCODE_LOG_LEVEL (debug|info|warn|error).
const LEVELS = { debug: 0, info: 1, warn: 2, error: 3 } as const
export type LogLevel = keyof typeof LEVELS

function threshold(): number {
  const env = process.env.OPENCODE_LOG_LEVEL as LogLevel | undefined
  return LEVELS[env ?? "info"] ?? LEVELS.info
}

// One entry, one line: POST /log passes client text here, which must not forge further lines.
const oneLine = (s: string) => (/[\r\n\u2028\u2029]/.test(s) ? s.replace(/[\r\n\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : s)

function write(level: LogLevel, service: string, message: string, extra?: Record<string, unknown>) {
  if (LEVELS[level] < threshold()) return
  const tail = extra && Object.keys(extra).length ? " " + safeJson(extra) : ""
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${oneLine(service)} ${oneLine(message)}${tail}\n`)
}

function safeJson(v: unknown) {
  try {
    return JSON.stringify(v, (_k, val) => (val instanceof Error ? { message: val.message, stack: val.stack } : val))
  } catch {
    return String(v)
  }
}

export function createLog(service: string) {
  return {
    debug: (m: string, e?: Record<string, unknown>) => write("debug", service, m, e),
    info: (m: string, e?: Record<string, unknown>) => write("info", service, m, e),
    warn: (m: string, e?: Record<string, unknown>) => write("warn", service, m, e),
    error: (m: string, e?: Record<string, unknown>) => write("error", service, m, e),
  }
}

export const log = { write }
