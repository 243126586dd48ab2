import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { startMockLLM, mockProviderConfig, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"

export const AUTH = { username: "opencode", password: "pw" }
export const authorization = "Basic " + Buffer.from(`${AUTH.username}:${AUTH.password}`).toString("base64")

export const XSS = [
  `Please write hello.txt <script>alert("xss")</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))`,
  `![pic](javascript:alert(2)) [t](https://ok.example 'a" onmouseover="alert(3)') <a href="javascript:alert(4)">raw</a>`,
].join("\n\n")

export type ShareFixture = { llm: MockLLM; server: TestServer; client: ReturnType<typeof createOpencodeClient>; directory: string }

/** A password-protected server whose project talks to a loopback mock LLM; the SDK client carries the credentials. */
export async function startShareFixture(): Promise<ShareFixture> {
  const llm = await startMockLLM()
  const directory = tmpdir("share-")
  const config = mockProviderConfig(llm.url, { extra: { agent: { title: { disable: true } } } })
  fs.writeFileSync(path.join(directory, "opencode.json"), JSON.stringify(config))
  fs.writeFileSync(path.join(directory, "hello.txt"), "old line\n")
  const server = await startTestServer({ directory, auth: AUTH })
  const client = createOpencodeClient({ baseUrl: server.base, directory, headers: { authorization } })
  return { llm, server, client, directory }
}

/**
 * One real turn through the loop: the model thinks, overwrites hello.txt with the write tool,
 * then answers in markdown.
 */
export async function seedConversation(f: ShareFixture, title = "Share me") {
  const session = (await f.client.session.create({ body: { title } })).data!
  f.llm.enqueue(
    { reasoning: "The user wants a greeting file.", toolCalls: [{ name: "write", args: { filePath: "hello.txt", content: "hello from the agent\n" } }] },
    { text: "Done: I wrote **hello.txt** with a `greeting`." },
  )
  const reply = await f.client.session.prompt({ path: { id: session.id }, body: { parts: [{ type: "text", text: XSS }] } })
  if (reply.error) throw new Error("prompt failed: " + JSON.stringify(reply.error))
  return session
}
