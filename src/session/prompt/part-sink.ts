import { Bus } from "../../bus"
import type { Part, ReasoningPart, TextPart } from "../schema"
import { MessagePartDelta } from "../events"
import * as Message from "../message"

// Streaming text reaches clients two ways: every chunk at once as `message.part.delta` (what
// opencode 1.18 clients read), and, at most every FLUSH_MS, as a stored `message.part.updated`
// carrying the whole part plus the text added since the last one (what v1 SDK clients read).
// The delta events always precede the update that includes them, so a client applying both
// ends with the same text. Storing at each update means a crash loses at most FLUSH_MS of
// streamed text.
const FLUSH_MS = 50

type Streaming = TextPart | ReasoningPart

export class PartSink {
  private pending = new Map<string, { part: Streaming; delta: string }>()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(readonly directory: string) {}

  /**
   * Stores and announces a part now. Text streamed since the last flush rides along as this
   * update's `delta`, so v1 clients that append deltas never miss the tail.
   */
  put(part: Part) {
    const acc = this.pending.get(part.id)
    this.pending.delete(part.id)
    Message.updatePart(this.directory, part, acc?.delta)
  }

  /** `part.text` already includes `delta`. */
  delta(part: Streaming, delta: string) {
    if (!delta) return
    Bus.publish(this.directory, MessagePartDelta, {
      sessionID: part.sessionID,
      messageID: part.messageID,
      partID: part.id,
      field: "text",
      delta,
    })
    const acc = this.pending.get(part.id)
    if (acc) acc.delta += delta
    else this.pending.set(part.id, { part, delta })
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS)
  }

  flush() {
    clearTimeout(this.timer)
    this.timer = undefined
    const batch = [...this.pending.values()]
    this.pending.clear()
    for (const { part, delta } of batch) Message.updatePart(this.directory, part, delta)
  }

  remove(part: Part) {
    this.pending.delete(part.id)
    Message.removePart(this.directory, part)
  }
}
