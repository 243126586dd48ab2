import { createOpencodeClient } from "@opencode-ai/sdk/client"

type Address = { url: URL; auth?: { username: string; password: string } }

let address: Address | undefined

/** Told by the server once it listens: plugins talk to it through its own HTTP API. */
export function setServerAddress(a: Address) {
  address = a
}

export function serverUrl(): URL {
  return address?.url ?? new URL("http://127.0.0.1:4096")
}

/**
 * The official v1 SDK client, bound to this server and a project directory, carrying the
 * server's password when one is set (plugins run in-process with the user's rights anyway).
 */
export function pluginClient(directory: string) {
  const auth = address?.auth
  const headers: Record<string, string> = auth ? { authorization: "Basic " + btoa(`${auth.username}:${auth.password}`) } : {}
  return createOpencodeClient({ baseUrl: serverUrl().origin, directory, headers })
}
