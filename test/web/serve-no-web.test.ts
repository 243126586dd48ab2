// An executable built with `build.ts --no-web` says why it has no page instead of a bare 404,
// and stays the same server otherwise.
import { test, expect, afterAll } from "bun:test"
import { compile, hostPlatform } from "../../build"
import { spawnServe, reap, type ServeProcess } from "../cli/serve-process"
import { tmpdir } from "../helpers/tmp"

const host = hostPlatform()
const running: ServeProcess[] = []
afterAll(() => reap(running))

test.skipIf(!host)("a build without the web interface answers a page request with a 503 naming --no-web", async () => {
  const bin = await compile(host!, tmpdir("no-web-"), undefined, { web: false })
  const s = await spawnServe([bin, "serve", "--port", "0"], { timeoutMs: 20_000 })
  running.push(s)
  const page = await fetch(s.base + "/", { headers: { accept: "text/html" } })
  expect(page.status).toBe(503)
  expect((await page.json()).data.message).toContain("built without the web interface (build.ts --no-web)")
  expect((await fetch(s.base + "/assets/index-12345678.js")).status).toBe(503)
  expect((await fetch(s.base + "/global/health")).status).toBe(200)
}, 180_000)
