// The SSE `id:` of an event is `<process tag>-<seq>`. The tag is this process's start time
// (base 36) and a little randomness, so an id a client kept from an earlier process (a crash,
// a restart, a second server on the same data) is never taken for one of ours: restarting at
// seq 1 made old ids look newer than every new event, and resumed clients heard nothing.
// Inside the bus, events keep the plain number; the string is made only when a frame is.

const TAG = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3)
  .toString(36)
  .padStart(3, "0")}-`

/** The `id:` sent for `seq`. */
export function formatEventID(seq: number): string {
  return TAG + seq
}

/** Why a Last-Event-ID cannot be resumed from: the value a `server.resync` event carries. */
export type ResyncReason = "restarted" | "expired" | "invalid"

const FOREIGN = /^[0-9a-z]{1,20}-\d{1,16}$/

/**
 * The seq a Last-Event-ID stands for in this process, or why it stands for none: "restarted"
 * for another process's id, "invalid" for anything else (including our own tag with a seq we
 * never reached). Whether the seq is still in the buffer is the caller's question.
 */
export function parseEventID(id: string): { seq: number } | { reason: ResyncReason } {
  if (id.startsWith(TAG)) {
    const rest = id.slice(TAG.length)
    if (/^\d{1,16}$/.test(rest)) return { seq: Number(rest) }
    return { reason: "invalid" }
  }
  return { reason: FOREIGN.test(id) ? "restarted" : "invalid" }
}
