import { parseArgs } from "node:util"
import { normalizeBasePath } from "../server/base-path"

const LOG_LEVELS = ["debug", "info", "warn", "error"]
import { LIMITS, type Limits } from "../global/limits"

// --max-prompts and the like, straight from the limits table.
const LIMIT_FLAGS = Object.entries(LIMITS).flatMap(([key, l]) => (l.flag ? [{ key: key as keyof Limits, flag: l.flag }] : []))

export type ServeArgs = {
  port: number
  hostname: string
  mdns: boolean
  mdnsDomain: string
  cors: string[]
  basePath: string
  printLogs: boolean
  /** Only the limits given on the command line. */
  limits: Partial<Limits>
}

export class UsageError extends Error {}

export function parseServe(argv: string[]): ServeArgs {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        hostname: { type: "string" },
        mdns: { type: "boolean" },
        "mdns-domain": { type: "string" },
        cors: { type: "string", multiple: true },
        "base-path": { type: "string" },
        ...Object.fromEntries(LIMIT_FLAGS.map((f) => [f.flag, { type: "string" as const }])),
        // As the real CLI has them: logs go to a file in the data directory, and with
        // --print-logs to stderr as well.
        "print-logs": { type: "boolean" },
        "log-level": { type: "string" },
      },
    })
  } catch (e) {
    // node's messages run over several lines with advice about positionals: keep the first clause.
    const message = e instanceof Error ? e.message.replace(/\. To specify.*$/s, "").split("\n")[0] : String(e)
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1))
  }
  const v = parsed.values
  const port = v.port === undefined ? 4096 : /^\d+$/.test(v.port) ? Number(v.port) : NaN
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port '${v.port}': expected 0-65535`)
  const mdns = v.mdns ?? false
  // Advertising a loopback address on the network is useless: --mdns alone listens everywhere.
  const hostname = v.hostname ?? (mdns ? "0.0.0.0" : "127.0.0.1")
  const cors = (v.cors ?? []).map(origin)
  if (v["log-level"]) {
    const level = v["log-level"].toLowerCase()
    if (!LOG_LEVELS.includes(level)) throw new UsageError(`invalid --log-level '${v["log-level"]}': expected DEBUG, INFO, WARN or ERROR`)
    process.env.OPENCODE_LOG_LEVEL = level
  }
  const basePath = normalizeBasePath(v["base-path"] ?? "")
  if (basePath === undefined) throw new UsageError(`invalid --base-path '${v["base-path"]}': expected a path such as /opencode`)
  const limits: Partial<Limits> = {}
  for (const { key, flag } of LIMIT_FLAGS) {
    const raw = (v as Record<string, unknown>)[flag]
    if (raw === undefined) continue
    if (typeof raw !== "string" || !/^\d+$/.test(raw) || Number(raw) < 1) throw new UsageError(`invalid --${flag} '${raw}': expected a whole number above 0`)
    limits[key] = Number(raw)
  }
  return { port, hostname, mdns, mdnsDomain: v["mdns-domain"] ?? "opencode.local", cors, basePath, printLogs: v["print-logs"] ?? false, limits }
}

/** A browser sends `scheme://host[:port]`: reduce what the user typed to exactly that. */
function origin(value: string) {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {}
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:"))
    throw new UsageError(`invalid --cors origin '${value}': expected e.g. https://app.example.com`)
  return url.origin
}

export const HELP = `opencode-bun serve: run the headless opencode server

Usage:
  opencode-bun serve [options]
  opencode-bun --version | --help

Options:
  --port <number>         port to listen on (0 picks a free port)   [default: 4096]
  --hostname <host>       address to listen on                      [default: 127.0.0.1,
                                                                      0.0.0.0 with --mdns]
  --mdns                  advertise the server on the local network via mDNS
  --mdns-domain <name>    mDNS host name to advertise               [default: opencode.local]
  --cors <origin>         another browser origin to allow (repeatable)
  --base-path <path>      serve under this sub-path (e.g. /opencode) behind a proxy
  --log-level <level>     DEBUG, INFO, WARN or ERROR                [default: INFO]
  --print-logs            also print logs to stderr (they always go to the log file)
  --max-body-bytes <n>    largest request body (413 beyond)        [default: 52428800]
  --max-event-streams <n> open event streams at once (503 beyond)  [default: 1000]
  --max-ptys <n>          running terminals at once (503 beyond)   [default: 64]
  --max-prompts <n>       prompts running at once (429 beyond)     [default: 64]

Environment:
  OPENCODE_SERVER_PASSWORD   require HTTP basic auth with this password
  OPENCODE_SERVER_USERNAME   basic auth user name                  [default: opencode]
  OPENCODE_BUN_DATA_DIR      where the database, credentials and logs (log/) live
`
