// From @ai-sdk/provider, where `ai` gets them: classifying an error must not load the whole SDK.
import { APICallError, LoadAPIKeyError } from "@ai-sdk/provider"
import type { MessageError } from "../schema"
import { NamedError, errorMessage } from "../../util/error"

/** The abort reason of a run the server stopped (shutdown, instance disposal), not the user. */
export class RunStopped extends Error {
  override name = "RunStopped"
}

/** What an aborted reply or tool is closed with: `user` for the user's abort, else why the server stopped it. */
export function abortText(signal: AbortSignal, user: string): string {
  return signal.reason instanceof RunStopped ? signal.reason.message : user
}

/**
 * How a failed reply is recorded on the assistant message (and sent with session.error).
 * `aborted` is the run's signal (or whether it was aborted).
 */
export function toMessageError(e: unknown, providerID: string, aborted: boolean | AbortSignal): MessageError {
  if (aborted instanceof AbortSignal) {
    if (aborted.aborted) return { name: "MessageAbortedError", data: { message: abortText(aborted, "Aborted") } }
  } else if (aborted) return { name: "MessageAbortedError", data: { message: "Aborted" } }
  if (e instanceof NamedError && e.errorName === "ProviderAuthError")
    return { name: "ProviderAuthError", data: { providerID: String(e.data.providerID ?? providerID), message: e.message } }
  if (LoadAPIKeyError.isInstance(e)) return { name: "ProviderAuthError", data: { providerID, message: e.message } }
  if (APICallError.isInstance(e)) {
    return {
      name: "APIError",
      data: {
        message: apiMessage(e),
        ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
        isRetryable: e.isRetryable,
        ...(e.responseHeaders ? { responseHeaders: e.responseHeaders } : {}),
        ...(e.responseBody !== undefined ? { responseBody: e.responseBody } : {}),
      },
    }
  }
  if (e instanceof NamedError) return { name: "UnknownError", data: { message: `${e.errorName}: ${e.message}` } }
  return { name: "UnknownError", data: { message: errorMessage(e) } }
}

/** The provider's own words when its error body has them, else the SDK's message. */
function apiMessage(e: APICallError): string {
  try {
    const body = JSON.parse(e.responseBody ?? "")
    const m = body?.error?.message ?? body?.message
    if (typeof m === "string" && m) return m
  } catch {}
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : ""
  return e.message + cause
}
