export * as Bus from "./bus"
export { defineEvent, registeredEvents, type EventDef, type EventPayload } from "./event"
