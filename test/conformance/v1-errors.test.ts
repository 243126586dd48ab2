// Error answers as the v1 SDK declares them (`<Operation>Errors`): a client reading
// `error.name` / `error.data.message` must find them.

import { test, expect } from "bun:test"
import { useHarness, project, text } from "../helpers/harness"
import { checkResponse, dedupe, type Mismatch, type Result } from "./v1-contract"

const h = useHarness()

test("error bodies match the v1 SDK's declared Errors types", async () => {
  const c = h.server.sdk(project(h.llm))
  const s = (await c.session.create({ body: {} })).data!
  const mismatches: Mismatch[] = []
  async function refused(operation: string, status: number, request: Promise<Result<unknown>>) {
    const { error, response } = await request
    expect(`${operation} ${response.status}`).toBe(`${operation} ${status}`)
    const mismatch = checkResponse(operation, status, error)
    if (mismatch) mismatches.push(mismatch)
  }
  const missing = { path: { id: "ses_missing" } }
  await refused("SessionGet", 404, c.session.get(missing))
  await refused("SessionDelete", 404, c.session.delete(missing))
  await refused("SessionMessages", 404, c.session.messages(missing))
  await refused("SessionPrompt", 404, c.session.prompt({ ...missing, body: text("hi") }))
  await refused("SessionPrompt", 400, c.session.prompt({ path: { id: s.id }, body: { parts: [{ type: "nope" }] } as any }))
  await refused("SessionMessage", 404, c.session.message({ path: { id: s.id, messageID: "msg_missing" } }))
  await refused("SessionRevert", 404, c.session.revert({ path: { id: s.id }, body: { messageID: "msg_missing" } }))
  await refused("SessionShell", 400, c.session.shell({ path: { id: s.id }, body: { command: "echo" } as any }))
  await refused("SessionCreate", 400, c.session.create({ body: { title: 42 } as any }))
  await refused(
    "PostSessionIdPermissionsPermissionId",
    404,
    c.postSessionIdPermissionsPermissionId({ path: { id: s.id, permissionID: "per_missing" }, body: { response: "once" } }),
  )
  await refused("PtyGet", 404, c.pty.get({ path: { id: "pty_missing" } }))
  await refused("PtyCreate", 400, c.pty.create({ body: { command: 42 } as any }))
  await refused("ToolList", 400, c.tool.list({ query: { provider: "mock" } as any }))
  await refused("AppLog", 400, c.app.log({ body: { service: "x", level: "loud", message: "m" } as any }))
  await refused("TuiAppendPrompt", 400, c.tui.appendPrompt({ body: {} as any }))
  await refused("TuiExecuteCommand", 400, c.tui.executeCommand({ body: {} as any }))
  await refused("AuthSet", 400, c.auth.set({ path: { id: "mock" }, body: { type: "api" } as any }))
  await refused("ConfigUpdate", 400, c.config.update({ body: { username: 42 } as any }))
  expect(dedupe(mismatches)).toEqual([])
})
