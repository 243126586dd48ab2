// The page's own requests when it was opened by the mDNS name or by an IP address, as a phone
// on the same network would: navigations and its same-origin writes pass the site guard,
// another origin's writes do not. In-process (app.handle): the Host header is the point.
import { test, expect, describe } from "bun:test"
import { createApp } from "../../src/server/app"
import { tmpdir } from "../helpers/tmp"

const HTML = "text/html,application/xhtml+xml,*/*;q=0.8"
const directory = tmpdir()

function call(app: ReturnType<typeof createApp>, host: string, path: string, init: { method?: string; origin?: string; accept?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { host, accept: init.accept ?? "application/json" }
  if (init.origin) headers.origin = init.origin
  if (init.body !== undefined) headers["content-type"] = "application/json"
  return app.handle(new Request(`http://${host}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }))
}

describe("a password-less server started with --mdns", () => {
  const app = createApp({ hostname: "0.0.0.0", mdns: { domain: "opencode.local" }, directory })

  for (const host of ["opencode.local:4096", "192.168.1.23:4096", "[fe80::1]:4096"]) {
    test(`opened as http://${host}/: the page loads and its own writes go through`, async () => {
      const page = await call(app, host, "/", { accept: HTML })
      expect(page.status).toBe(200)
      expect(page.headers.get("content-security-policy")).toContain(`ws://${host}`)
      // A same-origin POST from the page carries Origin: http://<host>.
      const created = await call(app, host, "/session", { method: "POST", origin: `http://${host}`, body: { title: "from the phone" } })
      expect(created.status).toBe(200)
      expect((await created.json()).title).toBe("from the phone")
      const removed = await call(app, host, `/session/${(await (await call(app, host, "/session")).json())[0].id}`, { method: "DELETE", origin: `http://${host}` })
      expect(removed.status).toBe(200)
    })
  }

  test("another origin cannot write through the page's host", async () => {
    const r = await call(app, "opencode.local:4096", "/session", { method: "POST", origin: "http://evil.example", body: {} })
    expect(r.status).toBe(403)
    expect((await r.json()).data.message).toContain("Cross-site request refused")
  })

  test("a rebound name is refused even for the page", async () => {
    const r = await call(app, "evil.example:4096", "/", { accept: HTML })
    expect(r.status).toBe(403)
  })
})
