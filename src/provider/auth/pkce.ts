import { SignInError } from "./http"

// PKCE (RFC 7636) and the loopback listener a browser sign-in redirects to. The listener
// binds 127.0.0.1 only: it is reachable from a browser on this machine, never from elsewhere.

export function randomToken(bytes = 32) {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url")
}

export async function pkcePair() {
  const verifier = randomToken(48)
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))
  return { verifier, challenge: Buffer.from(digest).toString("base64url") }
}

export type Listener = {
  port: number
  /** Resolves with the `code` once the browser comes back with the expected state. */
  code: Promise<string>
  close(): void
}

/**
 * What a loopback listener brings back (`listener.code`, `listener.token`), the listener closed
 * once it has or when the client waiting for the sign-in goes away.
 */
export async function received<T>(listener: { close(): void }, value: Promise<T>, signal?: AbortSignal): Promise<T> {
  const onAbort = () => listener.close()
  signal?.addEventListener("abort", onAbort, { once: true })
  try {
    return await value
  } finally {
    signal?.removeEventListener("abort", onAbort)
    listener.close()
  }
}

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`

/** Listens on 127.0.0.1:`port` (0 = any) for `path?code=…&state=…`. */
export function listenForCode(opts: { port: number; path: string; state: string; provider: string }): Listener {
  let resolve!: (code: string) => void
  let reject!: (e: Error) => void
  const code = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)))
  code.catch(() => {})
  let server: ReturnType<typeof Bun.serve>
  try {
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: opts.port,
      fetch(req) {
        const url = new URL(req.url)
        if (url.pathname !== opts.path) return new Response("Not found", { status: 404 })
        const html = (status: number, title: string, text: string) => new Response(page(title, text), { status, headers: { "content-type": "text/html; charset=utf-8" } })
        const error = url.searchParams.get("error")
        if (error) {
          const why = url.searchParams.get("error_description") ?? error
          reject(new SignInError(`${opts.provider} refused the sign-in: ${why}`))
          return html(400, "Sign-in failed", `${opts.provider} answered: ${Bun.escapeHTML(why)}. You can close this tab and start again.`)
        }
        if (url.searchParams.get("state") !== opts.state) return html(400, "Sign-in failed", "This answer belongs to another sign-in (state mismatch). Start again.")
        const got = url.searchParams.get("code")
        if (!got) return html(400, "Sign-in failed", "The answer carried no authorization code.")
        resolve(got)
        return html(200, "Signed in", `You are signed in to ${opts.provider}. You can close this tab.`)
      },
    })
  } catch (e) {
    throw new SignInError(`Could not listen on 127.0.0.1:${opts.port} for the browser's answer (${(e as Error).message}); another sign-in may be using it.`)
  }
  return {
    port: server.port!,
    code,
    close() {
      reject(new SignInError("sign-in cancelled"))
      // Let the answer to the browser's last request go out before connections are cut.
      void server.stop()
      setTimeout(() => void server.stop(true), 1000).unref()
    },
  }
}

/**
 * A pasted answer: the bare code, or the whole address the browser ended on
 * (`http://localhost:1455/auth/callback?code=…&state=…`), whose state must match.
 */
export function pastedCode(input: string, state: string): string {
  const text = input.trim()
  if (!/^https?:\/\//.test(text) && !text.includes("code=")) return text
  const params = text.includes("://") ? new URL(text).searchParams : new URLSearchParams(text.replace(/^[?#]/, ""))
  const got = params.get("code")
  if (!got) throw new SignInError("The pasted address has no code in it: copy the whole address from the browser's address bar.")
  const s = params.get("state")
  if (s && s !== state) throw new SignInError("The pasted address belongs to another sign-in (state mismatch): use the address from this sign-in.")
  return got
}
