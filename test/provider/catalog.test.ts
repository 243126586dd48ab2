import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { Paths } from "../../src/global/paths"
import { startTestServer, type TestServer } from "../helpers/server"
import { until } from "../helpers/harness"

// The catalog the binary carries, and its background refresh from a fake models.dev.

const snapshot: Record<string, any> = JSON.parse(
  new TextDecoder().decode(Bun.gunzipSync(fs.readFileSync(path.join(import.meta.dir, "../../src/provider/catalog/models-snapshot.json.gz")))),
)
// What the fake models.dev publishes: the snapshot plus one provider it does not have, so
// the catalog other tests see afterwards is still complete.
const published = {
  ...snapshot,
  fakeprov: {
    id: "fakeprov",
    name: "Fake Provider",
    env: ["FAKEPROV_API_KEY"],
    npm: "@ai-sdk/openai-compatible",
    api: "http://127.0.0.1:9/v1",
    models: { "fake-1": { id: "fake-1", name: "Fake One", tool_call: true, limit: { context: 1000, output: 100 }, cost: { input: 1, output: 2 }, modalities: { input: ["text", "image"], output: ["text"] } } },
  },
}

type Mode = "ok" | "garbage" | "hang"
let mode: Mode = "ok"
const seen: { ifNoneMatch: string | null }[] = []
const models = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  fetch(req) {
    seen.push({ ifNoneMatch: req.headers.get("if-none-match") })
    if (new URL(req.url).pathname !== "/api.json") return new Response("no", { status: 404 })
    if (mode === "hang") return new Promise<Response>(() => {})
    if (mode === "garbage") return new Response("<html>upstream error</html>", { headers: { "content-type": "text/html" } })
    if (req.headers.get("if-none-match") === '"v1"') return new Response(null, { status: 304, headers: { etag: '"v1"' } })
    return Response.json(published, { headers: { etag: '"v1"' } })
  },
})

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  process.env.OPENCODE_DISABLE_MODELS_FETCH = "1"
  delete process.env.OPENCODE_MODELS_URL
  delete process.env.OPENCODE_BUN_MODELS_REFRESH
  delete process.env.OPENCODE_BUN_MODELS_TIMEOUT
  await server.stop()
  models.stop(true)
})

const ids = async () => (await server.client.provider.list()).data!.all.map((p) => p.id)
const cacheFile = () => path.join(Paths.cache, "models.json")

describe("model catalog", () => {
  test("the embedded snapshot lists every models.dev provider, OpenCode Zen and Copilot included, with limits, costs and modalities", async () => {
    const { data } = await server.client.provider.list()
    expect(data!.all.length).toBeGreaterThanOrEqual(200)
    const zen = data!.all.find((p) => p.id === "opencode")!
    expect(zen.name).toBe("OpenCode Zen")
    expect(zen.env).toEqual(["OPENCODE_API_KEY"])
    expect(Object.keys(zen.models).length).toBeGreaterThan(50)
    const copilot = data!.all.find((p) => p.id === "github-copilot")!
    const m = Object.values(copilot.models)[0] as any
    expect(m.limit.context).toBeGreaterThan(0)
    expect(typeof m.cost.input).toBe("number")
    expect(m.capabilities.input.text).toBe(true)
    process.env.OPENCODE_API_KEY = "zen-key"
    try {
      expect((await server.client.config.providers()).data!.providers.map((p) => p.id)).toContain("opencode")
    } finally {
      delete process.env.OPENCODE_API_KEY
    }
  })

  test("refresh: garbage and a silent server change nothing and never delay a request", async () => {
    process.env.OPENCODE_MODELS_URL = models.url.origin
    process.env.OPENCODE_BUN_MODELS_REFRESH = "0"
    process.env.OPENCODE_BUN_MODELS_TIMEOUT = "3000"
    delete process.env.OPENCODE_DISABLE_MODELS_FETCH

    mode = "garbage"
    const before = seen.length
    await ids()
    await until(() => seen.length > before, 5000, "a catalog fetch")
    await Bun.sleep(200)
    expect(await ids()).not.toContain("fakeprov")
    expect(fs.existsSync(cacheFile())).toBe(false)

    mode = "hang"
    await Bun.sleep(100)
    const t = Date.now()
    const list = await ids()
    // Far below the 3 s the hung fetch is allowed: the request did not wait for it.
    expect(Date.now() - t).toBeLessThan(2000)
    expect(list).not.toContain("fakeprov")
    // The hung fetch is given up after the time-out; the next request may start another.
    await Bun.sleep(3200)
    expect(fs.existsSync(cacheFile())).toBe(false)
  })

  test("refresh: a new catalog is cached on disk with its ETag and used; the next fetch is conditional (304)", async () => {
    mode = "ok"
    await until(async () => (await ids()).includes("fakeprov"), 5000, "the refreshed catalog")
    expect(JSON.parse(fs.readFileSync(cacheFile(), "utf8")).fakeprov.name).toBe("Fake Provider")
    const fake = (await server.client.provider.list()).data!.all.find((p) => p.id === "fakeprov")!
    expect((fake.models["fake-1"] as any).capabilities.input.image).toBe(true)

    const before = seen.length
    await ids()
    await until(() => seen.length > before, 5000, "a second fetch")
    expect(seen.at(-1)!.ifNoneMatch).toBe('"v1"')
    await Bun.sleep(100)
    expect(await ids()).toContain("fakeprov")
  })
})
