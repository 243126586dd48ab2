import { getInstance, type Instance } from "../project/instance"
import { NamedError } from "../util/error"
import * as Runner from "./prompt/runner"

/**
 * The instance a session's work runs in: its own directory's, whichever directory the request
 * named (tools, snapshots and diffs belong to where the session lives). Falls back to the
 * request's instance when the session's directory can no longer be opened.
 */
export async function sessionInstance(requestInstance: Instance, session: { directory: string }): Promise<Instance> {
  if (requestInstance.directory === session.directory) return requestInstance
  return getInstance(session.directory).catch(() => requestInstance)
}

/** Disposing an instance (or stopping the server) aborts its sessions' runs and waits for them. */
export function watchInstance(instance: Instance) {
  instance.state("session.runs", () => true, () => Runner.abortDirectory(instance.directory))
}

/** 409: the session is running something, and this request must wait for it or abort it. */
export class SessionBusyError extends NamedError {
  /** `then`: what to do once it is idle, when more specific than trying again. */
  constructor(sessionID: string, then?: string) {
    const after = then ? `, then ${then}` : " first."
    super("SessionBusyError", { message: `Session ${sessionID} is busy: abort it or wait until it is idle${after}`, sessionID }, 409)
  }
}
