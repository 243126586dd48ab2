import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import path from "node:path"
import type { Subprocess } from "bun"
import { parseServe } from "../../src/cli/args"
import { splitDomain } from "../../src/discovery/mdns"
import { FROM_SOURCE, spawnServe, reap, type ServeProcess } from "../cli/serve-process"
import { createLab, netnsUnavailable, type Lab } from "./netns"

describe("mDNS options", () => {
  test("--mdns without --hostname listens on every interface; an explicit hostname wins", () => {
    expect(parseServe([]).hostname).toBe("127.0.0.1")
    expect(parseServe(["--mdns"]).hostname).toBe("0.0.0.0")
    expect(parseServe(["--mdns", "--hostname", "10.1.2.3"]).hostname).toBe("10.1.2.3")
    expect(parseServe(["--mdns"]).mdnsDomain).toBe("opencode.local")
  })

  test("the mDNS domain splits into host and domain", () => {
    expect(splitDomain("opencode.local")).toEqual({ hostname: "opencode", domain: "local" })
    expect(splitDomain("my.box.local.")).toEqual({ hostname: "my.box", domain: "local" })
    expect(splitDomain("solo")).toEqual({ hostname: "solo", domain: "local" })
  })
})

type Record = { from: string; name: string; type: string; ttl: number; data: any }

/** The independent browser, running in the lab's third namespace. */
function startBrowser(lab: Lab) {
  const proc = Bun.spawn([...lab.exec(lab.c), process.execPath, path.join(import.meta.dir, "browse.ts"), lab.ip.c, "25000"], { stdout: "pipe", stderr: "pipe" })
  const records: Record[] = []
  let ready = false
  ;(async () => {
    let buf = ""
    const reader = proc.stdout.getReader()
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      buf += new TextDecoder().decode(r.value)
      let i
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = JSON.parse(buf.slice(0, i))
        buf = buf.slice(i + 1)
        if (line.ready) ready = true
        else records.push(line)
      }
    }
  })()
  async function waitFor(pred: (r: Record) => boolean, what: string, timeoutMs = 8000) {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const hit = records.find(pred)
      if (hit) return hit
      await Bun.sleep(25)
    }
    throw new Error(`browser never saw ${what}; saw: ${[...new Set(records.map((r) => `${r.type} ${r.name} ttl=${r.ttl}`))].join(" | ")}`)
  }
  return { proc, records, waitFor, ready: () => ready }
}

/** A fetch made from inside a namespace, so it crosses the lab's bridge. */
async function fetchFrom(lab: Lab, ns: string, url: string) {
  const p = Bun.spawn([...lab.exec(ns), process.execPath, "-e", `const r = await fetch(${JSON.stringify(url)}); console.log(JSON.stringify({ status: r.status, body: await r.json() }))`], { stdout: "pipe", stderr: "pipe" })
  const out = await new Response(p.stdout).text()
  if ((await p.exited) !== 0) throw new Error(`fetch ${url} from ${ns} failed: ${await new Response(p.stderr).text()}`)
  return JSON.parse(out)
}

const unavailable = netnsUnavailable()
if (unavailable) {
  console.warn(`skipping "mDNS on a private network of namespaces": ${unavailable}`)
  test.skip(`mDNS on a private network of namespaces (skipped: ${unavailable})`, () => {})
}

if (!unavailable) describe("mDNS on a private network of namespaces", () => {
  let lab: Lab
  let browser: ReturnType<typeof startBrowser>
  const servers: ServeProcess[] = []
  // One port for both servers (different hosts), so both want the instance name opencode-<port>.
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const serveIn = (ns: string, args: string[]) => spawnServe([...FROM_SOURCE, "serve", "--mdns", "--port", String(port), ...args], { spawnPrefix: lab.exec(ns) })

  beforeAll(async () => {
    lab = createLab()
    browser = startBrowser(lab)
    while (!browser.ready()) await Bun.sleep(20)
  })
  afterAll(() => {
    reap(servers)
    ;(browser?.proc as Subprocess | undefined)?.kill("SIGKILL")
    lab?.destroy()
  })

  let a: ServeProcess
  test("advertises _http._tcp as opencode-<port> on opencode.local, listening on 0.0.0.0", async () => {
    a = await serveIn(lab.a, [])
    servers.push(a)
    expect(a.url).toBe(`http://0.0.0.0:${port}`)
    await a.waitOutput("WARNING: OPENCODE_SERVER_PASSWORD is not set and the server listens on 0.0.0.0")
    const ptr = await browser.waitFor((r) => r.type === "PTR" && r.name === "_http._tcp.local" && r.from === lab.ip.a && r.ttl > 0, "the PTR of server a")
    expect(ptr.data).toBe(`opencode-${port}._http._tcp.local`)
    const srv = await browser.waitFor((r) => r.type === "SRV" && r.name === ptr.data && r.ttl > 0, "the SRV of server a")
    expect(srv.data).toMatchObject({ port, target: "opencode.local" })
    const addr = await browser.waitFor((r) => r.type === "A" && r.name === "opencode.local", "the A record of opencode.local")
    expect(addr.data).toBe(lab.ip.a)
    // Reached from another host through the advertised address: it listens beyond loopback.
    const health = await fetchFrom(lab, lab.c, `http://${addr.data}:${srv.data.port}/global/health`)
    expect(health).toMatchObject({ status: 200, body: { healthy: true } })
  })

  let b: ServeProcess
  test("a second server wanting the same name gets a unique one", async () => {
    b = await serveIn(lab.b, ["--mdns-domain", "custom.local"])
    servers.push(b)
    const ptr = await browser.waitFor((r) => r.type === "PTR" && r.name === "_http._tcp.local" && r.from === lab.ip.b && r.ttl > 0, "the PTR of server b")
    expect(ptr.data).toBe(`opencode-${port} (2)._http._tcp.local`)
    const srv = await browser.waitFor((r) => r.type === "SRV" && r.name === ptr.data && r.ttl > 0, "the SRV of server b")
    expect(srv.data.port).toBe(port)
    // ciao numbers the host name along with the instance name: still the --mdns-domain host.
    expect(srv.data.target).toStartWith("custom")
    const addr = await browser.waitFor((r) => r.type === "A" && r.name === srv.data.target, "the A record of server b")
    expect(addr.data).toBe(lab.ip.b)
    // The first server kept its name.
    expect(browser.records.filter((r) => r.type === "PTR" && r.from === lab.ip.a && r.ttl > 0).map((r) => r.data)).toEqual(
      expect.arrayContaining([`opencode-${port}._http._tcp.local`]),
    )
    await b.waitOutput(`mDNS: advertising opencode-${port} (2)`)
  })

  test("shutdown withdraws the service with goodbye packets", async () => {
    const { code, ms } = await a.signal("SIGTERM")
    expect(code).toBe(0)
    expect(ms).toBeLessThan(2000)
    const bye = await browser.waitFor((r) => r.type === "PTR" && r.from === lab.ip.a && r.ttl === 0, "a goodbye from server a", 3000)
    expect(bye.data).toBe(`opencode-${port}._http._tcp.local`)
    // The other server is still advertised and has said no goodbye.
    expect(browser.records.some((r) => r.from === lab.ip.b && r.ttl === 0)).toBe(false)
    const r = await b.signal("SIGINT")
    expect(r.code).toBe(0)
    await browser.waitFor((r) => r.type === "PTR" && r.from === lab.ip.b && r.ttl === 0, "a goodbye from server b", 3000)
  })
})
