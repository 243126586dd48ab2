// Structured logger: one line per entry. By default on stderr (stdout stays clean for the URL
// line scripts read); `opencode serve` sends it to a log file in the data directory instead,
// and to stderr as well with --print-logs (see configureLog). Level: --log-level or
// OPENCODE_LOG_LEVEL (debug|info|warn|error).
import type { LogFile } from "./log-file"
import { setting } from "../global/settings"

const LEVELS = { debug: 0, info: 1, warn: 2, error: 3 } as const
export type LogLevel = keyof typeof LEVELS

let sinks: { stderr: boolean; file?: LogFile } = { stderr: true }

let cachedEnv: string | undefined
let cachedLevel: number = LEVELS.info
function threshold(): number {
  const env = setting("OPENCODE_LOG_LEVEL")
  if (env !== cachedEnv) {
    cachedEnv = env
    cachedLevel = LEVELS[(env?.toLowerCase() ?? "info") as LogLevel] ?? LEVELS.info
  }
  return cachedLevel
}

/** Whether an entry at `level` would be written (to skip building costly extras). */
export function enabled(level: LogLevel) {
  return LEVELS[level] >= threshold()
}

/** Where entries go from now on. */
export function configureLog(opts: { stderr: boolean; file?: LogFile }) {
  sinks = opts
}

// One entry, one line: POST /log passes client text here, which must not forge further lines.
const oneLine = (s: string) => (/[\r\n\u2028\u2029]/.test(s) ? s.replace(/[\r\n\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : s)

const LABELS: Record<LogLevel, string> = { debug: "DEBUG", info: "INFO ", warn: "WARN ", error: "ERROR" }

function write(level: LogLevel, service: string, message: string, extra?: Record<string, unknown>) {
  if (LEVELS[level] < threshold()) return
  const tail = extra && Object.keys(extra).length ? " " + safeJson(extra) : ""
  emit(`${new Date().toISOString()} ${LABELS[level]} ${oneLine(service)} ${oneLine(message)}${tail}\n`)
}

function emit(line: string) {
  if (sinks.file) sinks.file.write(line)
  if (sinks.stderr) process.stderr.write(line)
}

/**
 * The request log's fast path (one line per request): `fields` is JSON the caller built from
 * values that need no escaping, so nothing is serialised here.
 */
export function writeRequestLine(message: string, fields: string) {
  if (LEVELS.info < threshold()) return
  emit(`${new Date().toISOString()} INFO  http ${oneLine(message)} ${fields}\n`)
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
