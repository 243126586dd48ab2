import { test, expect } from "bun:test"
import { visibleMessages } from "../../src/share/view"
import type { MessageWithParts, Session } from "../../src/session/schema"

const session = (revert?: Session["revert"]): Session => ({
  id: "ses_1",
  slug: "s",
  projectID: "global",
  directory: "/p",
  title: "t",
  version: "0",
  time: { created: 1, updated: 1 },
  ...(revert ? { revert } : {}),
})
const msg = (id: string, parts: string[]): MessageWithParts => ({
  info: { id, sessionID: "ses_1", role: "user", time: { created: 1 }, agent: "build", model: { providerID: "p", modelID: "m" } },
  parts: parts.map((p) => ({ id: p, sessionID: "ses_1", messageID: id, type: "text", text: p })),
})
const history = [msg("msg_1", ["prt_1"]), msg("msg_2", ["prt_2", "prt_3"]), msg("msg_3", ["prt_4"])]
const shape = (ms: MessageWithParts[]) => ms.map((m) => [m.info.id, m.parts.map((p) => p.id)])

test("without a revert every message is shown", () => {
  expect(shape(visibleMessages(session(), history))).toEqual(shape(history))
})

test("a reverted message and everything after it are hidden", () => {
  expect(shape(visibleMessages(session({ messageID: "msg_2" }), history))).toEqual([["msg_1", ["prt_1"]]])
})

test("a revert to a part keeps that message's earlier parts", () => {
  expect(shape(visibleMessages(session({ messageID: "msg_2", partID: "prt_3" }), history))).toEqual([
    ["msg_1", ["prt_1"]],
    ["msg_2", ["prt_2"]],
  ])
})
