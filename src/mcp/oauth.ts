import type { Instance } from "../project/instance"
import { Bus } from "../bus"
import { BadRequestError, errorMessage } from "../util/error"
import { createLog } from "../util/log"
import { connectServer, serverConfig, status } from "./index"
import { McpBrowserOpenFailed } from "./events"
import { CALLBACK_PATH, McpOAuthProvider, redirectUrl } from "./oauth-provider"
import { readEntry, removeEntry } from "./oauth-store"
import type { McpConfig, McpStatus } from "./schema"

// Sign-in for remote MCP servers (the MCP authorization spec: protected-resource discovery,
// dynamic client registration, PKCE). The SDK's `auth()` does the protocol; this file ties it
// to the routes and to reconnecting the server once tokens are stored.

const log = createLog("mcp.oauth")
const AUTHENTICATE_TTL = 5 * 60_000

type Remote = Extract<McpConfig, { type: "remote" }>

async function remote(instance: Instance, name: string): Promise<Remote> {
  const config = await serverConfig(instance, name)
  if (config.type !== "remote") throw new BadRequestError(`"${name}" is a local MCP server: OAuth applies to remote servers only.`)
  if (config.oauth === false) throw new BadRequestError(`OAuth is turned off for "${name}" (oauth: false in its config).`)
  return config
}

async function sdkAuth(provider: McpOAuthProvider, code?: string) {
  const { auth } = await import("@modelcontextprotocol/sdk/client/auth.js")
  try {
    return await auth(provider, { serverUrl: provider.config.url, ...(code ? { authorizationCode: code } : {}) })
  } catch (e) {
    const code = (e as { errorCode?: string })?.errorCode
    const why = [code, errorMessage(e)].filter(Boolean).join(": ") || "no reason given"
    if (/dynamic client registration/i.test(why))
      throw new BadRequestError(`"${provider.name}" does not register OAuth clients by itself: set oauth.clientId (and clientSecret if needed) in its config.`)
    throw new BadRequestError(`OAuth with "${provider.name}" failed: ${why}`)
  }
}

/** Starts a sign-in: answers the URL to open (empty when already signed in). */
export async function startAuth(instance: Instance, name: string): Promise<{ authorizationUrl: string; oauthState: string }> {
  const config = await remote(instance, name)
  const provider = new McpOAuthProvider(name, config)
  const result = await sdkAuth(provider)
  if (result === "AUTHORIZED") {
    await connectServer(instance, name)
    return { authorizationUrl: "", oauthState: "" }
  }
  if (!provider.authorizationUrl) throw new BadRequestError(`"${name}" gave no authorization URL.`)
  return { authorizationUrl: provider.authorizationUrl.toString(), oauthState: readEntry(name, config.url)?.state ?? "" }
}

/** Exchanges the code the browser came back with, stores the tokens and reconnects. */
export async function finishAuth(instance: Instance, name: string, code: string): Promise<McpStatus> {
  const config = await remote(instance, name)
  if (!readEntry(name, config.url)?.codeVerifier) throw new BadRequestError(`No sign-in is in progress for "${name}": start one with POST /mcp/${name}/auth.`)
  await sdkAuth(new McpOAuthProvider(name, config), code.trim())
  await connectServer(instance, name)
  log.info("MCP server signed in", { server: name })
  return (await status(instance))[name] ?? { status: "disabled" }
}

/**
 * Starts a sign-in and waits (up to 5 minutes) for the browser to come back to the loopback
 * callback. The server opens no browser: `mcp.browser.open.failed` carries the URL to clients.
 */
export async function authenticate(instance: Instance, name: string, signal?: AbortSignal): Promise<McpStatus> {
  const config = await remote(instance, name)
  const redirect = new URL(redirectUrl(config))
  if (redirect.hostname !== "127.0.0.1" && redirect.hostname !== "localhost")
    throw new BadRequestError(`"${name}" redirects to ${redirect.origin}, not to this machine: use POST /mcp/${name}/auth and then /auth/callback with the code.`)
  let listener: ReturnType<typeof Bun.serve>
  let resolve!: (code: string) => void
  let reject!: (e: Error) => void
  const code = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)))
  try {
    listener = Bun.serve({
      hostname: "127.0.0.1",
      port: Number(redirect.port || 80),
      fetch(req) {
        const url = new URL(req.url)
        if (url.pathname !== (redirect.pathname || CALLBACK_PATH)) return new Response("Not found", { status: 404 })
        const expected = readEntry(name, config.url)?.state
        if (url.searchParams.get("error")) {
          reject(new BadRequestError(`"${name}" refused the sign-in: ${url.searchParams.get("error_description") ?? url.searchParams.get("error")}`))
          return new Response("Sign-in failed. You can close this tab.", { status: 400 })
        }
        if (!url.searchParams.get("code") || (expected && url.searchParams.get("state") !== expected))
          return new Response("This answer does not belong to the current sign-in.", { status: 400 })
        resolve(url.searchParams.get("code")!)
        return new Response("Signed in. You can close this tab.", { headers: { "content-type": "text/plain; charset=utf-8" } })
      },
    })
  } catch (e) {
    throw new BadRequestError(`Could not listen on ${redirect.host} for the sign-in (${errorMessage(e)}).`)
  }
  const timer = setTimeout(() => reject(new BadRequestError(`Nobody completed the sign-in for "${name}" within 5 minutes.`)), AUTHENTICATE_TTL)
  const onAbort = () => reject(new BadRequestError("The sign-in was cancelled."))
  signal?.addEventListener("abort", onAbort, { once: true })
  try {
    const { authorizationUrl } = await startAuth(instance, name)
    if (!authorizationUrl) return (await status(instance))[name] ?? { status: "disabled" }
    Bus.publish(instance.directory, McpBrowserOpenFailed, { mcpName: name, url: authorizationUrl })
    return await finishAuth(instance, name, await code)
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener("abort", onAbort)
    listener.stop(true)
  }
}

export async function removeAuth(instance: Instance, name: string): Promise<{ success: true }> {
  await serverConfig(instance, name)
  removeEntry(name)
  return { success: true }
}
