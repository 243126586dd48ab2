import { expect, test } from "bun:test"
import path from "node:path"
import { startTestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { tmpdir } from "../helpers/tmp"
import { getInstance } from "../../src/project/instance"
import * as Permission from "../../src/permission/permission"
import { PermissionDeniedError } from "../../src/tool/tool"

const bun = path.resolve("node_modules/.bin/bun")

test("a request left pending by a killed server is expired on the next start, never hanging", async () => {
  const dir = tmpdir()
  const child = Bun.spawn([bun, path.join(import.meta.dir, "fixtures/ask-and-wait.ts"), dir, "ses_crashed"], { stdout: "pipe", stderr: "inherit", env: process.env })
  const reader = child.stdout.getReader()
  let out = ""
  while (!out.includes("\n")) {
    const { value, done } = await reader.read()
    if (done) throw new Error("child exited before asking")
    out += new TextDecoder().decode(value)
  }
  const info = JSON.parse(out.split("\n")[0])
  child.kill("SIGKILL")
  await child.exited

  const s = await startTestServer({ directory: dir })
  try {
    const events = sseReader(await s.fetch("/event?directory=" + encodeURIComponent(dir)))
    const listed = await s.fetch("/permission?directory=" + encodeURIComponent(dir)).then((r) => r.json())
    expect(listed).toEqual([])
    const res = await s.client.postSessionIdPermissionsPermissionId({ path: { id: "ses_crashed", permissionID: info.id }, body: { response: "once" } })
    expect(res.response.status).toBe(404)
    expect((res.error as any).data.message).toContain("server restarted")
    events.cancel()
  } finally {
    await s.stop()
  }
})

test("stopping the server closes pending requests with a clear error; after a restart replies are 404", async () => {
  const dir = tmpdir()
  let s = await startTestServer({ directory: dir })
  const instance = await getInstance(dir)
  const result = Permission.ask({
    instance,
    sessionID: "ses_stop",
    messageID: "msg_1",
    agent: { permission: { edit: "ask" } },
    request: { type: "edit", pattern: "a.ts", title: "Edit a.ts" },
    abort: new AbortController().signal,
  }).catch((e) => e)
  while (!Permission.list(dir).length) await Bun.sleep(5)
  const [pending] = Permission.list(dir)
  expect(pending.title).toBe("Edit a.ts")
  await s.stop()
  const err = await result
  expect(err).toBeInstanceOf(PermissionDeniedError)
  expect(err.message).toContain("server stopped")

  s = await startTestServer({ directory: dir })
  try {
    const res = await s.client.postSessionIdPermissionsPermissionId({ path: { id: "ses_stop", permissionID: pending.id }, body: { response: "once" } })
    expect(res.response.status).toBe(404)
    expect((res.error as any).data.message).toContain("expired")
  } finally {
    await s.stop()
  }
})
