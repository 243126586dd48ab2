import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { PermissionDeniedError, ToolError, type ToolContext } from "../../src/tool/tool"
import { webfetchTool, MAX_BYTES } from "../../src/tool/webfetch"
import { tmpdir } from "../helpers/tmp"
import { gatedContext } from "./harness"

const PAGE = `<!doctype html><html><head><title>Docs</title><style>body{color:red}</style></head>
<body><h1>Install</h1><p>Run <code>bun add x</code> &amp; enjoy.</p><script>window.evil = 1</script>
<ul><li>one</li><li>two</li></ul></body></html>`

let server: ReturnType<typeof Bun.serve>
let base: string
const hits: string[] = []

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname
      hits.push(path)
      switch (path) {
        case "/page":
          return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } })
        case "/data.json":
          return Response.json({ ok: true })
        case "/latin1":
          return new Response(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), { headers: { "content-type": "text/plain; charset=iso-8859-1" } })
        case "/image.png":
          return new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1]), { headers: { "content-type": "image/png" } })
        case "/binary":
          return new Response(new Uint8Array([1, 0, 2, 0]), { headers: { "content-type": "application/octet-stream" } })
        case "/streamed-big": {
          const chunk = new Uint8Array(1024 * 1024).fill(97)
          let n = 0
          return new Response(new ReadableStream({ pull: (c) => (n++ < 6 ? c.enqueue(chunk) : c.close()) }), { headers: { "content-type": "text/plain" } })
        }
        case "/slow":
          return new Promise<Response>(() => {})
        default:
          return new Response("nope", { status: 404, statusText: "Not Found" })
      }
    },
  })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(() => server.stop(true))

async function ctx(opts: { permission?: Record<string, unknown>; abort?: AbortSignal } = {}): Promise<ToolContext> {
  return (await gatedContext(tmpdir(), { ...opts, sessionID: "ses_webfetch" })).ctx
}

const run = async (args: Parameters<typeof webfetchTool.execute>[0], c?: ToolContext) => webfetchTool.execute(args, c ?? (await ctx()))
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a failure") }, (e) => e as Error)

describe("webfetch", () => {
  test("HTML becomes markdown without scripts or styles", async () => {
    const r = await run({ url: base + "/page" })
    expect(r.output).toContain("# Install")
    expect(r.output).toContain("Run `bun add x` & enjoy.")
    expect(r.output).toContain("-   one")
    expect(r.output).not.toContain("evil")
    expect(r.output).not.toContain("color:red")
    expect(r.title).toBe(`${base}/page (text/html)`)
  })

  test("text and html formats", async () => {
    const text = await run({ url: base + "/page", format: "text" })
    expect(text.output).toContain("Install\nRun bun add x & enjoy.")
    expect(text.output).not.toContain("<")
    expect(text.output).not.toContain("evil")
    const html = await run({ url: base + "/page", format: "html" })
    expect(html.output).toBe(PAGE)
  })

  test("non-HTML text is returned as is, in its charset", async () => {
    expect((await run({ url: base + "/data.json" })).output).toBe('{"ok":true}')
    expect((await run({ url: base + "/latin1" })).output).toBe("café")
  })

  test("images come back as an attachment; other binaries are refused", async () => {
    const r = await run({ url: base + "/image.png" })
    expect(r.attachments?.[0]).toMatchObject({ type: "file", mime: "image/png", filename: "image.png" })
    expect(r.attachments?.[0].url).toBe("data:image/png;base64," + Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]).toString("base64"))
    expect((await failure(run({ url: base + "/binary" }))).message).toContain("binary content")
  })

  test("size limit, declared or streamed", async () => {
    // A raw socket, because Bun.serve would correct a false Content-Length.
    const liar = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        data(sock) {
          sock.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${MAX_BYTES + 1}\r\n\r\nxxxx`)
        },
      },
    })
    try {
      expect((await failure(run({ url: `http://127.0.0.1:${liar.port}/` }))).message).toContain("larger than 5 MB")
    } finally {
      liar.stop(true)
    }
    expect((await failure(run({ url: base + "/streamed-big" }))).message).toContain("larger than 5 MB")
  })

  test("HTTP errors, bad URLs and other schemes are clear tool errors", async () => {
    const e404 = await failure(run({ url: base + "/missing" }))
    expect(e404).toBeInstanceOf(ToolError)
    expect(e404.message).toContain("HTTP 404")
    expect((await failure(run({ url: "file:///etc/passwd" }))).message).toContain("Only http:// and https://")
    expect((await failure(run({ url: "example.com/page" }))).message).toContain("not a valid URL")
  })

  test("an unreachable host says so", async () => {
    const dead = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") })
    const port = dead.port
    const url = `http://127.0.0.1:${port}/`
    dead.stop(true)
    const e = await failure(run({ url }))
    expect(e).toBeInstanceOf(ToolError)
    expect(e.message).toContain(`Could not reach 127.0.0.1:${port}`)
    expect(e.message).toContain("offline")
    // .invalid never resolves (RFC 2606): what an offline machine's DNS failure looks like.
    const dns = await failure(run({ url: "https://no-such-host.invalid/page" }))
    expect(dns.message).toContain("Could not reach no-such-host.invalid")
  })

  test("timeout and abort", async () => {
    const started = Date.now()
    expect((await failure(run({ url: base + "/slow", timeout: 1 }))).message).toContain("timed out after 1 s")
    expect(Date.now() - started).toBeLessThan(3000)
    const ctl = new AbortController()
    const pending = failure(run({ url: base + "/slow" }, await ctx({ abort: ctl.signal })))
    setTimeout(() => ctl.abort(), 50)
    expect((await pending).message).toContain("aborted")
  })

  test('asks permission type "webfetch": denied means no request is made', async () => {
    const before = hits.length
    const e = await failure(run({ url: base + "/page" }, await ctx({ permission: { webfetch: "deny" } })))
    expect(e).toBeInstanceOf(PermissionDeniedError)
    expect(hits.length).toBe(before)
  })
})
