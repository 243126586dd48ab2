import { APICallError } from "@ai-sdk/provider"

// Backoff for provider failures worth retrying: rate limits (honouring Retry-After), server
// errors, overload, and connections dropped mid-stream.
const BASE_MS = 500
const MAX_MS = 30_000
export const MAX_ATTEMPTS = 6

/** Milliseconds to wait before attempt `attempt + 1`, or undefined when the error is final. */
export function retryDelay(e: unknown, attempt: number): number | undefined {
  if (attempt >= MAX_ATTEMPTS) return undefined
  if (!APICallError.isInstance(e)) return undefined
  const status = e.statusCode
  const retryable = e.isRetryable || status === 429 || (status !== undefined && status >= 500)
  if (!retryable) return undefined
  const backoff = Math.min(BASE_MS * 2 ** (attempt - 1), MAX_MS)
  const hinted = fromHeaders(e.responseHeaders)
  // A provider asking for a longer wait than we would ever make is not coming back soon.
  if (hinted !== undefined) return hinted <= MAX_MS * 4 ? hinted : undefined
  return backoff
}

function fromHeaders(h: Record<string, string> | undefined): number | undefined {
  if (!h) return undefined
  const get = (k: string) => Object.entries(h).find(([name]) => name.toLowerCase() === k)?.[1]
  const ms = Number(get("retry-after-ms"))
  if (get("retry-after-ms") && Number.isFinite(ms)) return Math.max(0, ms)
  const raw = get("retry-after")
  if (!raw) return undefined
  const secs = Number(raw)
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000)
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** Resolves after `ms`, or early (false) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      signal.removeEventListener("abort", stop)
      resolve(true)
    }, ms)
    const stop = () => {
      clearTimeout(t)
      resolve(false)
    }
    signal.addEventListener("abort", stop, { once: true })
  })
}
