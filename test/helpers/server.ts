import { createOpencodeClient } from "@opencode-ai/sdk"
import { startServer, type ServeOptions, type RunningServer } from "../../src/server/server"
import { tmpdir } from "./tmp"

export type TestServer = RunningServer & {
  base: string
  directory: string
  /** The official v1 SDK client, scoped to `directory`. */
  client: ReturnType<typeof createOpencodeClient>
  sdk: (directory?: string) => ReturnType<typeof createOpencodeClient>
  fetch: (path: string, init?: RequestInit) => Promise<Response>
}

/** A real server on 127.0.0.1:0 serving a temp project directory (or the one given). */
export async function startTestServer(opts: Partial<ServeOptions> = {}): Promise<TestServer> {
  const directory = opts.directory ?? tmpdir()
  const server = await startServer({ port: 0, hostname: "127.0.0.1", ...opts, directory })
  const base = server.url.origin
  const sdk = (dir = directory) => createOpencodeClient({ baseUrl: base, directory: dir })
  return {
    ...server,
    base,
    directory,
    client: sdk(),
    sdk,
    fetch: (path, init) => fetch(base + path, init),
  }
}
