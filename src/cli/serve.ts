import { parseServe, UsageError, HELP } from "./args"
import { startServer, PortInUseError } from "../server/server"
import { authFromEnv } from "../server/auth"

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/

export async function serve(argv: string[]) {
  let args
  try {
    args = parseServe(argv)
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message}\nRun 'opencode --help' for usage.`)
    throw e
  }
  const auth = authFromEnv()
  if (!auth) {
    if (LOOPBACK.test(args.hostname)) console.error("Warning: OPENCODE_SERVER_PASSWORD is not set; the server is unsecured.")
    else
      console.error(
        `WARNING: OPENCODE_SERVER_PASSWORD is not set and the server listens on ${args.hostname}: anyone who can reach this address can run commands on this machine. Set OPENCODE_SERVER_PASSWORD.`,
      )
  }
  let server
  try {
    server = await startServer({
      port: args.port,
      hostname: args.hostname,
      cors: args.cors,
      auth,
      mdns: args.mdns ? { domain: args.mdnsDomain } : undefined,
      directory: process.cwd(),
    })
  } catch (e) {
    if (e instanceof PortInUseError) return fail(`Error: ${e.message}`)
    return fail(`Error: could not start the server: ${e instanceof Error ? e.message : String(e)}`)
  }
  console.log(`opencode server listening on ${server.url.origin}`)
  if (server.mdns) console.log(`mDNS: advertising ${server.mdns.name()}`)

  let shuttingDown = false
  const shutdown = async (signal: string) => {
    if (shuttingDown) return
    shuttingDown = true
    // Never hang on a stuck resource: the process is gone within 2 s whatever happens.
    const force = setTimeout(() => process.exit(0), 1800)
    force.unref?.()
    try {
      await server.stop()
    } finally {
      clearTimeout(force)
      process.exit(signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)
    }
  }
  process.on("SIGINT", () => shutdown("SIGINT"))
  process.on("SIGTERM", () => shutdown("SIGTERM"))
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

export { HELP }
