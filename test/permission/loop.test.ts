import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import path from "node:path"
import { startMockLLM, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { events, project, text, until } from "../helpers/harness"

// The whole path: the model calls bash, the loop's ask() waits, a client answers over HTTP.
let llm: MockLLM
let server: TestServer

beforeAll(async () => {
  llm = await startMockLLM()
  server = await startTestServer({ directory: project(llm, { extra: { permission: { bash: { "*": "ask" } } } }) })
})
afterAll(async () => {
  await server.stop()
  await llm.stop()
})

const bashCall = (command: string) => ({ toolCalls: [{ name: "bash", args: { command, description: "Say something" } }] })

async function toolPart(sessionID: string) {
  const msgs = (await server.client.session.messages({ path: { id: sessionID } })).data!
  return msgs.flatMap((m) => m.parts).find((p) => p.type === "tool") as any
}

describe("permission in the agent loop (v1 SDK)", () => {
  test("once: the waiting bash call runs after the answer", async () => {
    const sse = await events(server, server.directory)
    const session = (await server.client.session.create({ body: {} })).data!
    llm.enqueue(bashCall("echo hi"), { text: "done" })
    await server.client.session.promptAsync({ path: { id: session.id }, body: text("run it") })
    const asked = await sse.next((e) => e.data.type === "permission.updated" && e.data.properties.sessionID === session.id)
    expect(asked.data.properties).toMatchObject({ type: "bash", pattern: "echo hi" })
    const res = await server.client.postSessionIdPermissionsPermissionId({ path: { id: session.id, permissionID: asked.data.properties.id }, body: { response: "once" } })
    expect(res.data).toBe(true)
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === session.id)
    const part = await toolPart(session.id)
    expect(part.state.status).toBe("completed")
    expect(part.state.output).toContain("hi")
    sse.cancel()
  })

  test("reject: the tool part fails and the reply ends there, with no further model call", async () => {
    const sse = await events(server, server.directory)
    const session = (await server.client.session.create({ body: {} })).data!
    llm.enqueue(bashCall("rm -rf build"))
    const before = llm.requests.length
    await server.client.session.promptAsync({ path: { id: session.id }, body: text("clean") })
    const asked = await sse.next((e) => e.data.type === "permission.updated" && e.data.properties.sessionID === session.id)
    await server.client.postSessionIdPermissionsPermissionId({ path: { id: session.id, permissionID: asked.data.properties.id }, body: { response: "reject" } })
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === session.id)
    const part = await toolPart(session.id)
    expect(part.state.status).toBe("error")
    expect(part.state.error).toContain("rejected")
    expect(llm.requests.length - before).toBe(1)
    const msgs = (await server.client.session.messages({ path: { id: session.id } })).data!
    expect(msgs.filter((m) => m.info.role === "assistant")).toHaveLength(1)
    sse.cancel()
  })

  test("reject with feedback: the model reads the user's words and goes on", async () => {
    const sse = await events(server, server.directory)
    const session = (await server.client.session.create({ body: {} })).data!
    llm.enqueue(bashCall("rm -rf build"), { text: "ok, only dist then" })
    await server.client.session.promptAsync({ path: { id: session.id }, body: text("clean") })
    const asked = await sse.next((e) => e.data.type === "permission.asked" && e.data.properties.sessionID === session.id)
    const res = await server.fetch(`/permission/${asked.data.properties.id}/reply?directory=${encodeURIComponent(server.directory)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reply: "reject", message: "only remove dist" }),
    })
    expect(res.status).toBe(200)
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === session.id)
    expect(JSON.stringify(llm.requests.at(-1).messages)).toContain("only remove dist")
    const msgs = (await server.client.session.messages({ path: { id: session.id } })).data!
    expect(msgs.at(-1)!.parts.some((p) => p.type === "text" && p.text === "ok, only dist then")).toBe(true)
    sse.cancel()
  })

  test("experimental.continue_loop_on_deny: a bare rejection goes back to the model", async () => {
    const dir = project(llm, { extra: { permission: { bash: { "*": "ask" } }, experimental: { continue_loop_on_deny: true } } })
    const sse = await events(server, dir)
    const c = server.sdk(dir)
    const session = (await c.session.create({ body: {} })).data!
    llm.enqueue(bashCall("rm -rf build"), { text: "ok, I will not" })
    await c.session.promptAsync({ path: { id: session.id }, body: text("clean") })
    const asked = await sse.next((e) => e.data.type === "permission.updated" && e.data.properties.sessionID === session.id)
    await c.postSessionIdPermissionsPermissionId({ path: { id: session.id, permissionID: asked.data.properties.id }, body: { response: "reject" } })
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === session.id)
    expect(JSON.stringify(llm.requests.at(-1).messages)).toContain("rejected")
    expect(llm.pending()).toBe(0)
    sse.cancel()
  })

  test("abort while a request is pending closes it and the session goes idle", async () => {
    const sse = await events(server, server.directory)
    const session = (await server.client.session.create({ body: {} })).data!
    llm.enqueue(bashCall("sleep 5"))
    await server.client.session.promptAsync({ path: { id: session.id }, body: text("wait") })
    const asked = await sse.next((e) => e.data.type === "permission.updated" && e.data.properties.sessionID === session.id)
    await server.client.session.abort({ path: { id: session.id } })
    await sse.next((e) => e.data.type === "permission.replied" && e.data.properties.permissionID === asked.data.properties.id)
    await sse.next((e) => e.data.type === "session.idle" && e.data.properties.sessionID === session.id)
    const late = await server.client.postSessionIdPermissionsPermissionId({ path: { id: session.id, permissionID: asked.data.properties.id }, body: { response: "once" } })
    expect(late.response.status).toBe(404)
    sse.cancel()
  })
})

const CLI = path.resolve(import.meta.dir, "../../node_modules/opencode-ai/bin/opencode.exe")

test("opencode 1.18 run --attach answers permission.asked through /permission/:id/reply (auto-reject)", async () => {
  llm.enqueue(bashCall("make deploy"))
  const proc = Bun.spawn([CLI, "run", "--attach", server.base, "--format", "json", "deploy"], { cwd: server.directory, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const timer = setTimeout(() => proc.kill("SIGKILL"), 25_000)
  const [out, , code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(timer)
  expect(code).toBe(0)
  const lines = out.trim().split("\n").map((l) => JSON.parse(l))
  const tool = lines.find((l) => l.type === "tool_use")
  expect(tool.part.state.status).toBe("error")
  expect(tool.part.state.error).toContain("rejected")
  await until(async () => (await server.fetch("/permission?directory=" + encodeURIComponent(server.directory)).then((r) => r.json())).length === 0)
}, 30_000)
