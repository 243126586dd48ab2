import { VERSION } from "../../global/version"
import { endpoint, httpTimeout } from "./endpoints"

// Requests to identity providers: bounded in time, and failing with a sentence that names the
// host and what to do, never with a bare "fetch failed". Nothing here logs bodies (tokens).

export class SignInError extends Error {}

export const USER_AGENT = `opencode/${VERSION}`

export type Answer = { status: number; ok: boolean; body: any; text: string }

/** POSTs a form or JSON body; answers whatever status came back, throws only when unreachable. */
export async function post(url: string, body: Record<string, string> | object, opts: { form?: boolean; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json", "user-agent": USER_AGENT, ...opts.headers }
  headers["content-type"] = opts.form ? "application/x-www-form-urlencoded" : "application/json"
  const payload = opts.form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body)
  return request(url, { method: "POST", headers, body: payload }, opts.signal)
}

export async function get(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer> {
  return request(url, { method: "GET", headers: { accept: "application/json", "user-agent": USER_AGENT, ...headers } }, signal)
}

async function request(url: string, init: RequestInit, signal?: AbortSignal): Promise<Answer> {
  const target = endpoint(url)
  const host = new URL(url).host
  const timeout = httpTimeout()
  const signals = [AbortSignal.timeout(timeout), ...(signal ? [signal] : [])]
  let res: Response
  try {
    res = await fetch(target, { ...init, signal: AbortSignal.any(signals), redirect: "manual" })
  } catch (e) {
    if (signal?.aborted) throw signal.reason ?? e
    const why = (e as Error)?.name === "TimeoutError" ? `no answer within ${timeout / 1000} s` : String((e as Error)?.message ?? e)
    throw new SignInError(`Could not reach ${host} (${why}). Check this server's network connection or proxy, then try again.`)
  }
  const text = await res.text().catch(() => "")
  let body: any
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {}
  return { status: res.status, ok: res.ok, body, text }
}

/** A short, token-free description of an error answer, for messages. */
export function describe(a: Answer): string {
  const b = a.body
  const detail = typeof b?.error_description === "string" ? b.error_description : typeof b?.error === "string" ? b.error : typeof b?.error?.message === "string" ? b.error.message : ""
  return `HTTP ${a.status}${detail ? `: ${detail.slice(0, 200)}` : ""}`
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    signal?.addEventListener("abort", onAbort, { once: true })
  })
}

/** The claims of a JWT, unverified: only used to read the account id the IdP put there. */
export function jwtClaims(token: string | undefined): Record<string, any> | undefined {
  const part = token?.split(".")[1]
  if (!part) return undefined
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"))
  } catch {
    return undefined
  }
}
