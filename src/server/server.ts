import { createApp, type AppOptions } from "./app"
import { closeAllSockets, websocket } from "./websocket"
import { closeAllStreams, drained } from "./sse"
import { disposeAll } from "../project/instance"
import { closeDatabase, database } from "../storage/db"
import { advertise, type MdnsHandle } from "../discovery/mdns"
import { createLog } from "../util/log"
import { setServerAddress } from "../plugin"
import { front } from "./front"
import { errorMessage } from "../util/error"
import { Paths } from "../global/paths"
import { setLimits, type Limits } from "../global/limits"
import { startRecovery } from "../session/recovery"
import { expireStale } from "../permission/permission"
import "./register-events"

const log = createLog("server")

export type ServeOptions = AppOptions & {
  port: number
  hostname: string
  /** Serve under this sub-path ("/oc"), normalized (see base-path.ts). */
  basePath?: string
  directory?: string
  mdns?: { domain: string }
  /** Resource limits raised or lowered from their defaults (see global/limits.ts). */
  limits?: Partial<Limits>
}

export type RunningServer = {
  url: URL
  port: number
  hostname: string
  mdns?: MdnsHandle
  stop: () => Promise<void>
}

const STEP_MS = { mdns: 300, requests: 500, instances: 700, flush: 250 }

function within(ms: number, work: Promise<unknown> | undefined) {
  return Promise.race([work?.catch((e) => log.warn("shutdown step failed", { error: e })), Bun.sleep(ms)])
}

export class PortInUseError extends Error {}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  // Open (and migrate) the database before listening: a broken data dir fails start-up, not
  // the first request.
  try {
    database()
  } catch (e) {
    throw new Error(`cannot use the data directory ${Paths.data}: ${errorMessage(e)} (OPENCODE_BUN_DATA_DIR picks another)`)
  }
  // What a previous server on this data directory left unfinished (killed mid-reply, asks
  // nobody will answer) is closed before the first request can read it.
  startRecovery()
  expireStale()
  setLimits(opts.limits ?? {})
  const app = createApp(opts)
  let server: ReturnType<typeof Bun.serve>
  try {
    server = Bun.serve({
      port: opts.port,
      hostname: opts.hostname,
      fetch: front(app.fetch, opts.basePath),
      // WebSocket routes (pty.connect) upgrade through app.server (set below); this dispatcher
      // calls the handlers each upgrade put in ws.data.
      websocket,
      // SSE streams and long prompts stay open far longer than Bun's 10 s default.
      idleTimeout: 0,
      // Body size is checked in body-guard.ts, which answers a 413 saying what the limit is;
      // Bun's own check answers a bare one. A body no route reads is discarded unbuffered.
      maxRequestBodySize: Number.MAX_SAFE_INTEGER,
      error(e) {
        log.error("unhandled", { error: e })
        return new Response(JSON.stringify({ name: "UnknownError", data: { message: e.message } }), { status: 500 })
      },
    })
  } catch (e: any) {
    if (e?.code === "EADDRINUSE" || /in use|EADDRINUSE/i.test(String(e?.message))) {
      throw new PortInUseError(`port ${opts.port} is already in use on ${opts.hostname}`)
    }
    throw e
  }
  app.server = server
  const port = server.port!
  const shownHost = opts.hostname === "0.0.0.0" || opts.hostname === "::" ? "127.0.0.1" : opts.hostname
  const url = new URL(`http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`)
  setServerAddress({ url, auth: opts.auth })
  const mdns = opts.mdns ? advertise({ port, domain: opts.mdns.domain, hostname: opts.hostname }) : undefined
  let stopping: Promise<void> | undefined
  return {
    url,
    port,
    hostname: opts.hostname,
    mdns,
    stop() {
      stopping ??= (async () => {
        // Each step gets a bounded share of the 2 s a shutdown may take, so a stuck one (a
        // language server that ignores us, a long prompt) never keeps the database open.
        // No new connections from here; the open ones go on for now.
        const closing = server.stop(false)
        const unadvertised = within(STEP_MS.mdns, mdns?.stop())
        // The work stops first (each running reply is closed with an error), and the event
        // streams close only once what that published is written to them, so clients learn
        // how every reply ended rather than finding out from a resync later.
        await within(STEP_MS.instances, disposeAll())
        await drained(STEP_MS.flush)
        closeAllStreams()
        closeAllSockets()
        await unadvertised
        // In-flight requests and the just-ended streams finish cleanly; then the rest is cut.
        await within(STEP_MS.requests, closing)
        await server.stop(true)
        closeDatabase()
      })()
      return stopping
    },
  }
}
