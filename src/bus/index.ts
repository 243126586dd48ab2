export * as Bus from "./bus"
export { defineEvent, registeredEvents, type EventDef, type EventPayload } from "./event"
export { formatEventID, parseEventID, type ResyncReason } from "./event-id"
