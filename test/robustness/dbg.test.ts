import { test, expect } from "bun:test"
import fs from "node:fs"
import { startMockLLM, mockProviderConfig } from "../helpers/mock-llm"
import { startTestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"
test("x", async () => {
  const llm = await startMockLLM()
  const dir = tmpdir()
  const cfg: any = mockProviderConfig(llm.url, { options: { timeout: 400 }, extra: { agent: { title: { disable: true } } } })
  fs.writeFileSync(dir + "/opencode.json", JSON.stringify(cfg))
  const server = await startTestServer({ directory: dir })
  const c = server.client
  const id = (await c.session.create({ body: {} })).data!.id
  llm.enqueue({ hang: true, text: "partial" })
  const t0 = Date.now()
  const r = await c.session.prompt({ path: { id }, body: { parts: [{ type: "text", text: "hi" }] } })
  console.log(Date.now() - t0, JSON.stringify(r.data?.info), JSON.stringify(r.data?.parts.map((p: any) => [p.type, p.text])))
}, 20000)
