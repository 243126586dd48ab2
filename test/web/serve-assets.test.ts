// The built app's files: content-hashed names, caching, precompressed gzip and brotli chosen by
// Accept-Encoding, validators, and nothing in them that would reach beyond this server.
import { test, expect, beforeAll, afterAll, describe } from "bun:test"
import { gunzipSync, brotliDecompressSync } from "node:zlib"
import { startTestServer, type TestServer } from "../helpers/server"
import { bundleWeb, type BuiltFile } from "../../src/web/bundle"
import { chooseEncoding } from "../../src/web/headers"

let s: TestServer
let assets: string[]
beforeAll(async () => {
  s = await startTestServer()
  const html = await (await s.fetch("/", { headers: { accept: "text/html" } })).text()
  assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1])
})
afterAll(() => s.stop())

// fetch() decompresses by itself; these tests look at the bytes on the wire.
const raw = (p: string, headers: Record<string, string> = {}) => s.fetch(p, { headers, decompress: false } as RequestInit)

describe("caching", () => {
  test("hashed assets are immutable for a year; index.html is revalidated every time", async () => {
    expect(assets.length).toBeGreaterThanOrEqual(2)
    for (const a of assets) {
      expect(a).toMatch(/^assets\/[\w.-]+-[a-z0-9]{8}\.(js|css)$/)
      const r = await raw("/" + a)
      expect(r.status).toBe(200)
      expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable")
      expect(r.headers.get("cross-origin-resource-policy")).toBe("same-origin")
    }
    const index = await raw("/", { accept: "text/html" })
    expect(index.headers.get("cache-control")).toBe("no-cache")
  })

  test("each encoding has its own ETag, and If-None-Match answers 304", async () => {
    for (const p of ["/", "/" + assets[0]]) {
      const h = { accept: "text/html" }
      const br = await raw(p, { ...h, "accept-encoding": "br" })
      const gz = await raw(p, { ...h, "accept-encoding": "gzip" })
      const id = await raw(p, { ...h, "accept-encoding": "identity" })
      const tags = [br, gz, id].map((r) => r.headers.get("etag"))
      expect(tags.every((t) => /^"[\w-]+"$/.test(t!))).toBe(true)
      expect(new Set(tags).size).toBe(3)
      const again = await raw(p, { ...h, "accept-encoding": "br", "if-none-match": tags[0]! })
      expect(again.status).toBe(304)
      expect(await again.text()).toBe("")
      // Another encoding's tag does not validate this one.
      expect((await raw(p, { ...h, "accept-encoding": "br", "if-none-match": tags[1]! })).status).toBe(200)
    }
  })

  test("an unknown asset, a malformed name or a climb out of assets/ is a JSON 404", async () => {
    for (const p of ["/assets/nope-12345678.js", "/assets/%E0%A4%A", "/assets/..%2f..%2fpackage.json", "/assets/%2e%2e/index.html"]) {
      const r = await raw(p)
      expect({ p, status: r.status }).toEqual({ p, status: 404 })
      expect((await r.json()).name).toBe("NotFoundError")
    }
  })
})

describe("compression", () => {
  test("br, gzip or identity by Accept-Encoding, each decompressing to the same bytes", async () => {
    for (const p of ["/", ...assets.map((a) => "/" + a)]) {
      const get = (enc: string) => raw(p, { accept: "text/html", "accept-encoding": enc })
      const id = await get("identity")
      expect(id.headers.get("content-encoding")).toBeNull()
      const original = new Uint8Array(await id.arrayBuffer())
      const br = await get("gzip, deflate, br, zstd")
      expect(br.headers.get("content-encoding")).toBe("br")
      expect(br.headers.get("vary")).toContain("accept-encoding")
      const brBytes = new Uint8Array(await br.arrayBuffer())
      expect(Buffer.compare(brotliDecompressSync(brBytes), original)).toBe(0)
      const gz = await get("gzip, deflate")
      expect(gz.headers.get("content-encoding")).toBe("gzip")
      expect(Buffer.compare(gunzipSync(new Uint8Array(await gz.arrayBuffer())), original)).toBe(0)
      // Refused with q=0, br is not sent.
      expect((await get("br;q=0, gzip")).headers.get("content-encoding")).toBe("gzip")
      expect(Number(br.headers.get("content-length"))).toBe(brBytes.byteLength)
    }
  })

  test("Accept-Encoding parsing", () => {
    const both = { br: true, gzip: true }
    expect(chooseEncoding(null, both)).toBe("identity")
    expect(chooseEncoding("", both)).toBe("identity")
    expect(chooseEncoding("*", both)).toBe("br")
    expect(chooseEncoding("gzip;q=1.0, br;q=0.0", both)).toBe("gzip")
    expect(chooseEncoding("*;q=0, gzip", both)).toBe("gzip")
    expect(chooseEncoding("BR", both)).toBe("br")
    expect(chooseEncoding("br", { br: false, gzip: true })).toBe("identity")
    expect(chooseEncoding("deflate", both)).toBe("identity")
  })
})

describe("the bundle", () => {
  let files: BuiltFile[]
  beforeAll(async () => {
    // WEB_SCAN_DIR: check another copy of the app (e.g. a branch's web/) the same way.
    files = await bundleWeb({ dir: process.env.WEB_SCAN_DIR })
  })

  test("has index.html and hashed files only, text ones precompressed smaller", () => {
    expect(files.map((f) => f.path)).toContain("index.html")
    for (const f of files) {
      if (f.path !== "index.html") expect(f.path).toMatch(/^assets\/[\w.-]+-[a-z0-9]{8}\.\w+$/)
      if (/javascript|css/.test(f.type) && f.identity.byteLength > 1024) {
        expect(f.br!.byteLength).toBeLessThan(f.identity.byteLength)
        expect(f.gzip!.byteLength).toBeLessThan(f.identity.byteLength)
      }
    }
  })

  test("names no origin other than its own: no CDN, web font or telemetry URL", () => {
    // Strings that name another site without ever being fetched: XML namespace names (SVG,
    // MathML) and the project links libraries print in their warnings (highlight.js, marked).
    // What the page actually requests is checked in Chromium (serve-browser.test.ts), and the
    // CSP blocks anything else.
    const NOT_FETCHED = [
      /^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xhtml|1999\/xlink|1998\/Math\/MathML|XML\/1998\/namespace|2000\/xmlns\/?)$/,
      /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+(\/(issues|wiki)\/[\w./#-]*)?$/,
    ]
    const found: string[] = []
    for (const f of files) {
      const text = new TextDecoder().decode(f.identity)
      for (const m of text.matchAll(/(?:https?:)?\/\/[a-z0-9-]+(\.[a-z0-9-]+)+[^\s"'`)<>\\]*/gi)) {
        const url = m[0].replace(/[.,;:]+$/, "")
        // A protocol-relative //host is as external as any.
        if (!NOT_FETCHED.some((re) => re.test(url))) found.push(`${f.path}: ${url}`)
      }
    }
    expect(found).toEqual([])
  })
})
