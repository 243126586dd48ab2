import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import net from "node:net"
import { sseReader } from "../helpers/sse"
import { authorization, seedConversation, startShareFixture, type ShareFixture } from "./fixture"

let f: ShareFixture
let sessionID: string
let url: string

beforeAll(async () => {
  f = await startShareFixture()
  sessionID = (await seedConversation(f)).id
})
afterAll(async () => {
  await f.server.stop()
  await f.llm.stop()
})

const TOKEN_URL = /^http:\/\/127\.0\.0\.1:\d+\/share\/([A-Za-z0-9_-]{43})$/

/** Tag names, attribute names and link targets of the page, as an HTML parser reads them. */
function elements(html: string) {
  const tags: string[] = []
  const attributes: string[] = []
  const hrefs: string[] = []
  new HTMLRewriter()
    .on("*", {
      element(el) {
        tags.push(el.tagName)
        for (const [name, value] of el.attributes) {
          attributes.push(name)
          if (name === "href") hrefs.push(value)
        }
      },
    })
    .transform(html)
  return { tags, attributes, hrefs }
}

// Raw HTTP, so the path reaches the server exactly as written (fetch would normalise `..`).
async function rawGet(port: number, path: string): Promise<number> {
  const socket = net.connect(port, "127.0.0.1")
  await new Promise((resolve) => socket.once("connect", resolve))
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
  let text = ""
  for await (const chunk of socket) text += chunk
  return Number(text.split(" ")[1])
}

describe("sharing", () => {
  test("share sets a token URL on this server and announces the session", async () => {
    const events = sseReader(await f.server.fetch("/event?directory=" + encodeURIComponent(f.directory), { headers: { authorization } }))
    await events.next((e) => e.data.type === "server.connected")
    const { data, error } = await f.client.session.share({ path: { id: sessionID } })
    expect(error).toBeUndefined()
    url = data!.share!.url
    const token = url.match(TOKEN_URL)![1]
    expect(url.startsWith(f.server.base + "/share/")).toBe(true)
    expect(token).not.toContain(sessionID)
    const updated = await events.next((e) => e.data.type === "session.updated" && e.data.properties.info.id === sessionID)
    expect(updated.data.properties.info.share.url).toBe(url)
    events.cancel()
    expect((await f.client.session.get({ path: { id: sessionID } })).data!.share!.url).toBe(url)
  })

  test("the page is readable without credentials and shows the conversation", async () => {
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toContain("text/html")
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'")
    expect(res.headers.get("content-security-policy")).toContain("style-src 'unsafe-inline'")
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    expect(res.headers.get("referrer-policy")).toBe("no-referrer")
    const html = await res.text()
    expect(html).toContain("<h1>Share me</h1>")
    expect(html).toContain("Please write hello.txt")
    expect(html).toContain("Done: I wrote <strong>hello.txt</strong> with a <code>greeting</code>.")
    expect(html).toMatch(/<details class="part reasoning"><summary>Reasoning<\/summary>[\s\S]*The user wants a greeting file\./)
    expect(html).toContain('<span class="tool-name">write</span>')
    expect(html).toContain('<span class="status status-completed">completed</span>')
    expect(html).toContain("&quot;filePath&quot;: &quot;hello.txt&quot;")
    // The write tool's own diff and the session's changes, from the snapshot of the step.
    expect(html).toContain('<span class="add">+hello from the agent</span>')
    expect(html).toContain('<span class="del">-old line</span>')
    expect(html).toContain("<h2>Changes</h2>")
    expect(html).toContain('<span class="label">Files changed</span> <code>hello.txt</code>')
    // Self-contained: no element that loads or runs anything, no external stylesheet reference.
    const { tags, attributes } = elements(html)
    expect(tags.filter((t) => ["script", "img", "link", "iframe", "object", "embed", "base", "form"].includes(t))).toEqual([])
    expect(attributes.filter((a) => a === "src" || a.startsWith("on"))).toEqual([])
    expect(html).not.toMatch(/@import|url\(/i)
  })

  test("a message's markup is shown as text, never run", async () => {
    const html = await (await fetch(url)).text()
    const { tags, attributes, hrefs } = elements(html)
    expect(tags).not.toContain("script")
    expect(tags).not.toContain("img")
    expect(attributes.filter((a) => a.startsWith("on"))).toEqual([])
    expect(hrefs).toEqual(["https://ok.example"])
    expect(html).toContain('&lt;script&gt;alert("xss")&lt;/script&gt;')
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;")
    expect(html).not.toMatch(/href="\s*javascript:/i)
    expect(html).toContain("click")
    expect(html).toContain('<a href="https://ok.example" rel="nofollow noopener noreferrer" title="a&quot; onmouseover=&quot;alert(3)">t</a>')
    expect(html).toContain("[image: pic]")
  })

  test("the data route gives the same conversation as JSON without credentials", async () => {
    const res = await fetch(url + "/data")
    expect(res.status).toBe(200)
    expect(res.headers.get("x-content-type-options")).toBe("nosniff")
    const body = await res.json()
    expect(body.session.id).toBe(sessionID)
    expect(body.messages.map((m: any) => m.info.role)).toEqual(["user", "assistant", "assistant"])
    expect(body.messages.flatMap((m: any) => m.parts).some((p: any) => p.type === "tool" && p.tool === "write")).toBe(true)
  })

  test("everything else still needs credentials", async () => {
    const token = url.match(TOKEN_URL)![1]
    for (const path of [`/session`, `/session/${sessionID}`, `/session/${sessionID}/message`, `/share`, `/share/${token}/other`, `/doc`]) {
      const res = await f.server.fetch(path)
      expect({ path, status: res.status }).toEqual({ path, status: 401 })
    }
    expect((await f.server.fetch(`/share/${token}`, { method: "POST" })).status).toBe(401)
    expect((await f.server.fetch(`/session/${sessionID}/share`, { method: "DELETE" })).status).toBe(401)
    const port = Number(new URL(f.server.base).port)
    expect(await rawGet(port, `/share/${token}/../../session`)).toBe(401)
    expect(await rawGet(port, `/share/${token}/%2e%2e/%2e%2e/session`)).toBe(401)
    // Bun resolves dot segments before routing: this IS the share page, for the guard and the router alike.
    expect(await rawGet(port, `/session/../share/${token}`)).toBe(200)
    expect(await rawGet(port, `/share/${token}`)).toBe(200)
  })

  test("long tool output is cut with a note; a failed tool shows its error", async () => {
    const session = (await f.client.session.create({ body: { title: "tools" } })).data!
    f.llm.enqueue(
      { toolCalls: [{ name: "bash", args: { command: "seq 1 4000", description: "Count" } }, { name: "read", args: { filePath: "missing.txt" } }] },
      { text: "Counted." },
    )
    await f.client.session.prompt({ path: { id: session.id }, body: { parts: [{ type: "text", text: "count" }] } })
    const link = (await f.client.session.share({ path: { id: session.id } })).data!.share!.url
    const html = await (await fetch(link)).text()
    expect(html).toContain('<span class="tool-name">bash</span>')
    expect(html).toContain("\n1000\n")
    expect(html).not.toContain("\n3999\n")
    expect(html).toMatch(/… [\d,]+ more characters not shown here/)
    expect(html).toMatch(/<details class="part tool" open><summary><span class="tool-name">read<\/span> <span class="status status-error">error<\/span>/)
    expect(html).toContain("missing.txt")
    // The JSON keeps the whole output.
    const data = await (await fetch(link + "/data")).json()
    const bash = data.messages.flatMap((m: any) => m.parts).find((p: any) => p.tool === "bash")
    expect(bash.state.output).toContain("\n3999\n")
  })

  test("unknown or malformed tokens are a 404 page", async () => {
    for (const token of ["x".repeat(43), "short", "A".repeat(128)]) {
      const res = await f.server.fetch(`/share/${token}`)
      expect(res.status).toBe(404)
      expect(res.headers.get("content-type")).toContain("text/html")
      expect(await res.text()).toContain("no longer shared")
      expect((await f.server.fetch(`/share/${token}/data`)).status).toBe(404)
    }
  })

  test("sharing again keeps the link; the origin follows the client's forwarded host", async () => {
    const token = url.match(TOKEN_URL)![1]
    const again = await f.client.session.share({ path: { id: sessionID } })
    expect(again.data!.share!.url).toBe(url)
    const proxied = await f.server.fetch(`/session/${sessionID}/share`, {
      method: "POST",
      headers: { authorization, "x-forwarded-host": "agent.example.com", "x-forwarded-proto": "https" },
    })
    expect((await proxied.json()).share.url).toBe(`https://agent.example.com/share/${token}`)
    const hostile = await f.server.fetch(`/session/${sessionID}/share`, { method: "POST", headers: { authorization, "x-forwarded-host": "evil.com/<x>" } })
    expect((await hostile.json()).share.url).toBe(url)
  })

  test("unshare removes the link and the page is gone", async () => {
    const { data, error } = await f.client.session.unshare({ path: { id: sessionID } })
    expect(error).toBeUndefined()
    expect(data!.share).toBeUndefined()
    expect((await f.client.session.get({ path: { id: sessionID } })).data!.share).toBeUndefined()
    const res = await fetch(url)
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain("Please write")
    expect((await fetch(url + "/data")).status).toBe(404)
    const twice = await f.client.session.unshare({ path: { id: sessionID } })
    expect(twice.response.status).toBe(200)
    expect(twice.data!.share).toBeUndefined()
    // Sharing anew mints a different token.
    const fresh = (await f.client.session.share({ path: { id: sessionID } })).data!.share!.url
    expect(fresh).not.toBe(url)
    expect((await fetch(fresh)).status).toBe(200)
  })

  test("an unknown session is a 404", async () => {
    const shared = await f.client.session.share({ path: { id: "ses_nope" } })
    expect(shared.response.status).toBe(404)
    expect((shared.error as any).name).toBe("NotFoundError")
    const unshared = await f.client.session.unshare({ path: { id: "ses_nope" } })
    expect(unshared.response.status).toBe(404)
  })

  test("deleting a shared session takes its page down", async () => {
    const s = (await f.client.session.create({ body: { title: "short-lived" } })).data!
    const link = (await f.client.session.share({ path: { id: s.id } })).data!.share!.url
    expect((await fetch(link)).status).toBe(200)
    await f.client.session.delete({ path: { id: s.id } })
    expect((await fetch(link)).status).toBe(404)
  })

  test("/doc documents the share routes, the public ones without a security requirement", async () => {
    const doc = await (await f.server.fetch("/doc/json", { headers: { authorization } })).json()
    expect(doc.paths["/session/{sessionID}/share"].post.operationId).toBe("session.share")
    expect(doc.paths["/session/{sessionID}/share"].delete.operationId).toBe("session.unshare")
    expect(doc.paths["/share/{token}"].get.security).toEqual([])
    expect(doc.paths["/share/{token}"].get.responses["200"].content["text/html"]).toBeDefined()
    expect(doc.paths["/share/{token}/data"].get.security).toEqual([])
  })
})
