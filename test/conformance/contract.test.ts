// The conformance check itself: its schemas are the installed SDK's, and it fails what it should.

import { test, expect } from "bun:test"
import { checkEvent, checkResponse, type Mismatch } from "./v1-contract"
import { generate } from "./generate"
import committed from "./fixtures/v1-schemas.json"

test("the committed schemas are those of the installed SDK (else: bun test/conformance/generate.ts)", () => {
  expect(JSON.parse(JSON.stringify(generate()))).toEqual(committed)
})

test("the contract check itself rejects missing fields, wrong types and values outside an enum", () => {
  const session = { id: "ses_1", projectID: "p", directory: "/", title: "t", version: "1", time: { created: 1, updated: 1 } }
  expect(checkResponse("SessionGet", 200, session)).toBeUndefined()
  expect(checkResponse("SessionGet", 200, { ...session, extra: true })).toBeUndefined()
  expect(checkResponse("SessionGet", 200, { ...session, title: undefined })?.errors).toEqual(["/ must have required property 'title'"])
  const mistyped = { ...session, time: { created: "1", updated: 1 } }
  expect(checkResponse("SessionGet", 200, mistyped)?.errors).toEqual(["/time/created must be number"])
  expect(checkResponse("SessionGet", 201, session)?.errors[0]).toContain("status 201 is not declared")
  const status = { type: "session.status", properties: { sessionID: "ses_1", status: { type: "idle" } } }
  expect(checkEvent(status)).toBeUndefined()
  const sleeping = { ...status, properties: { ...status.properties, status: { type: "sleeping" } } }
  expect((checkEvent(sleeping) as Mismatch).errors.join()).toContain("/properties/status")
  expect(checkEvent({ type: "no.such.event" })).toBe("unknown")
  // Error bodies are checked against the operation's declared Errors.
  expect(checkResponse("SessionGet", 404, { name: "NotFoundError", data: { message: "gone" } })).toBeUndefined()
  expect(checkResponse("SessionGet", 404, { name: "SessionNotFound", data: { message: "gone" } })?.errors.join()).toContain(
    "/name must be equal to constant",
  )
  expect(checkResponse("SessionGet", 500, {})?.errors[0]).toContain("status 500 is not declared")
})
