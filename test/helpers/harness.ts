import { beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startMockLLM, mockProviderConfig, type MockLLM } from "./mock-llm"
import { startTestServer, type TestServer } from "./server"
import { sseReader } from "./sse"
import { tmpdir } from "./tmp"

export { until } from "./wait"

export type Harness = { llm: MockLLM; server: TestServer }

/**
 * A real server and a mock LLM, with project directories configured to use it. Title
 * generation is off by default so scripted replies are consumed only by the loop.
 */
export async function startHarness(): Promise<Harness> {
  const llm = await startMockLLM()
  const server = await startTestServer({ directory: project(llm) })
  return { llm, server }
}

/**
 * A harness for the whole test file: started before its first test, stopped after its last.
 * The returned object is filled in by then, so tests read `h.llm` / `h.server` as usual.
 */
export function useHarness(): Harness {
  const h = {} as Harness
  beforeAll(async () => {
    Object.assign(h, await startHarness())
  })
  afterAll(async () => {
    await h.server.stop()
    await h.llm.stop()
  })
  return h
}

/** A new session in a fresh project directory configured for the harness's mock LLM. */
export async function newSession(h: Harness, opts?: Parameters<typeof project>[1]) {
  const dir = project(h.llm, opts)
  const c = h.server.sdk(dir)
  const s = (await c.session.create({ body: {} })).data!
  return { dir, c, s }
}

export function project(llm: MockLLM, opts: { extra?: Record<string, unknown>; files?: Record<string, string>; titles?: boolean } = {}): string {
  const dir = tmpdir("session-")
  const config = mockProviderConfig(llm.url, { extra: { ...(opts.titles ? {} : { agent: { title: { disable: true } } }), ...opts.extra } })
  fs.writeFileSync(path.join(dir, "opencode.json"), JSON.stringify(config, null, 2))
  for (const [name, content] of Object.entries(opts.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  return dir
}

export async function events(server: TestServer, directory: string) {
  const sse = sseReader(await server.fetch("/event?directory=" + encodeURIComponent(directory)))
  await sse.next((e) => e.data.type === "server.connected")
  return sse
}

export const text = (s: string) => ({ parts: [{ type: "text" as const, text: s }] })
