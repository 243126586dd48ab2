import { NamedError } from "../util/error"
import type { MessageError } from "./schema"

/**
 * An endpoint whose answer is "it worked" (summarize, init) when the model's reply failed:
 * the reply's own error, with what did not happen. Aborted is a conflict with the user's
 * abort; anything else is the provider's failure.
 */
export class ReplyFailedError extends NamedError {
  constructor(error: MessageError, what: string) {
    const aborted = error.name === "MessageAbortedError"
    super(error.name, { ...error.data, message: `${what}: ${String(error.data.message ?? error.name)}` }, aborted ? 409 : 502)
  }
}
