import { t } from "../util/schema"
import { defineEvent } from "../bus/event"
import { Session, SessionStatus, Message, Part, Todo, FileDiff, MessageError } from "./schema"

export const SessionCreated = defineEvent("session.created", t.Object({ info: Session }))
export const SessionUpdated = defineEvent("session.updated", t.Object({ info: Session }))
export const SessionDeleted = defineEvent("session.deleted", t.Object({ info: Session }))
export const SessionStatusEvent = defineEvent("session.status", t.Object({ sessionID: t.String(), status: SessionStatus }))
export const SessionIdle = defineEvent("session.idle", t.Object({ sessionID: t.String() }))
export const SessionCompacted = defineEvent("session.compacted", t.Object({ sessionID: t.String() }))
export const SessionDiff = defineEvent("session.diff", t.Object({ sessionID: t.String(), diff: t.Array(FileDiff) }))
export const SessionError = defineEvent(
  "session.error",
  t.Object({ sessionID: t.Optional(t.String()), error: t.Optional(MessageError) }),
)
export const MessageUpdated = defineEvent("message.updated", t.Object({ info: Message }))
export const MessageRemoved = defineEvent("message.removed", t.Object({ sessionID: t.String(), messageID: t.String() }))
export const MessagePartUpdated = defineEvent("message.part.updated", t.Object({ part: Part, delta: t.Optional(t.String()) }))
/** What opencode 1.18's CLI and TUI stream text from (the v1 SDK reads `delta` above). */
export const MessagePartDelta = defineEvent(
  "message.part.delta",
  t.Object({ sessionID: t.String(), messageID: t.String(), partID: t.String(), field: t.String(), delta: t.String() }),
)
export const MessagePartRemoved = defineEvent(
  "message.part.removed",
  t.Object({ sessionID: t.String(), messageID: t.String(), partID: t.String() }),
)
export const TodoUpdated = defineEvent("todo.updated", t.Object({ sessionID: t.String(), todos: t.Array(Todo) }))
export const CommandExecuted = defineEvent(
  "command.executed",
  t.Object({ name: t.String(), sessionID: t.String(), arguments: t.String(), messageID: t.String() }),
)
export const FileEdited = defineEvent("file.edited", t.Object({ file: t.String() }))
