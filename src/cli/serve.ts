import { parseServe, UsageError } from "./args"
import { startServer, PortInUseError, type RunningServer } from "../server/server"
import { authFromEnv } from "../server/auth"
import { startLogging } from "./logging"

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i

// Graceful shutdown gets this long; then the process exits whatever is still pending, so a
// service manager never waits past the 2 s it was promised.
const SHUTDOWN_DEADLINE_MS = 1800

export async function serve(argv: string[]) {
  let args
  try {
    args = parseServe(argv)
  } catch (e) {
    if (e instanceof UsageError) fail(`Error: ${e.message} (see 'opencode-bun --help')`)
    throw e
  }
  startLogging(args.printLogs)
  const auth = authFromEnv()
  let server: RunningServer
  try {
    server = await startServer({
      port: args.port,
      hostname: args.hostname,
      cors: args.cors,
      basePath: args.basePath,
      limits: args.limits,
      auth,
      mdns: args.mdns ? { domain: args.mdnsDomain } : undefined,
      directory: process.cwd(),
    })
  } catch (e) {
    if (e instanceof PortInUseError) fail(`Error: ${e.message}; pick another with --port (0 picks a free one)`)
    fail(`Error: could not start the server: ${e instanceof Error ? e.message : String(e)}`)
  }
  // The address actually bound (0.0.0.0 included), as the real server prints it.
  const host = server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname
  console.log(`opencode server listening on http://${host}:${server.port}${args.basePath}`)
  if (!auth) console.error(passwordWarning(args.hostname))
  // Everything else works without git; say once, up front, what does not.
  if (!Bun.which("git")) console.error(GIT_MISSING)
  // The compiled build starts with a reluctant JIT (build.ts): start-up code runs once. Serving is
  // the hot path, so from here on the normal policy applies.
  Bun.unsafe.setJITPolicy(1)
  server.mdns?.ready.then((a) => {
    if (a) console.log(`mDNS: advertising ${a.name} (_http._tcp, port ${server.port}) on ${a.host}`)
  })

  let shuttingDown = false
  const shutdown = async () => {
    if (shuttingDown) return
    shuttingDown = true
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref()
    try {
      await server.stop()
    } finally {
      process.exit(0)
    }
  }
  process.on("SIGINT", shutdown)
  process.on("SIGTERM", shutdown)
}

export const GIT_MISSING =
  "Warning: git was not found on PATH: file snapshots are off, so reverting a message cannot restore the files it changed, session diffs stay empty and version-control info (branch) is blank. Install git and restart to turn them on."

export function passwordWarning(hostname: string) {
  if (LOOPBACK.test(hostname)) return "Warning: OPENCODE_SERVER_PASSWORD is not set; any local user or program can use this server."
  return `WARNING: OPENCODE_SERVER_PASSWORD is not set and the server listens on ${hostname}: anyone who can reach it can read files and run commands on this machine. Set OPENCODE_SERVER_PASSWORD.`
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}
