import { describe, test, expect, afterEach } from "bun:test"
import pkg from "../../package.json" with { type: "json" }
import { sseReader } from "../helpers/sse"
import { FROM_SOURCE, run, spawnServe, reap, walFile, exists, type ServeProcess } from "./serve-process"
import { passwordWarning } from "../../src/cli/serve"

const running: ServeProcess[] = []
afterEach(() => reap(running))

async function serve(args: string[], env: Record<string, string | undefined> = {}) {
  const s = await spawnServe([...FROM_SOURCE, "serve", ...args], { env })
  running.push(s)
  return s
}

const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "")

describe("flags that exit at once", () => {
  test("--version prints the version", async () => {
    const r = await run([...FROM_SOURCE, "--version"])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(pkg.version)
  })

  test("--help and serve --help print the usage", async () => {
    for (const args of [["--help"], ["serve", "--help"]]) {
      const r = await run([...FROM_SOURCE, ...args])
      expect(r.code).toBe(0)
      for (const flag of ["--port", "--hostname", "--mdns", "--mdns-domain", "--cors", "OPENCODE_SERVER_PASSWORD"]) expect(r.stdout).toContain(flag)
    }
  })

  test("an unknown flag is one clear line on stderr and a non-zero exit", async () => {
    const r = await run([...FROM_SOURCE, "serve", "--bogus"])
    expect(r.code).not.toBe(0)
    expect(r.stdout).toBe("")
    expect(lines(r.stderr)).toHaveLength(1)
    expect(r.stderr).toContain("'--bogus'")
  })

  test("a bad --port value is one clear line", async () => {
    const r = await run([...FROM_SOURCE, "serve", "--port", "http"])
    expect(r.code).not.toBe(0)
    expect(lines(r.stderr)).toEqual([expect.stringContaining("invalid --port 'http'")])
  })

  test("an unknown command is one clear line", async () => {
    const r = await run([...FROM_SOURCE, "tui"])
    expect(r.code).not.toBe(0)
    expect(lines(r.stderr)).toEqual([expect.stringContaining("unknown command 'tui'")])
  })

  test("a port in use is one clear line and a non-zero exit", async () => {
    const taken = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("taken") })
    try {
      const r = await run([...FROM_SOURCE, "serve", "--port", String(taken.port)])
      expect(r.code).not.toBe(0)
      expect(r.stdout).toBe("")
      expect(lines(r.stderr)).toEqual([expect.stringContaining(`port ${taken.port} is already in use`)])
      // The other server still answers: nothing was taken over.
      expect(await (await fetch(`http://127.0.0.1:${taken.port}`)).text()).toBe("taken")
    } finally {
      taken.stop(true)
    }
  })
})

describe("serve", () => {
  test("--port 0 picks a free port, prints the URL and serves", async () => {
    const s = await serve(["--port", "0"])
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`)
    expect(s.port).toBeGreaterThan(0)
    const health = await (await fetch(s.base + "/global/health")).json()
    expect(health).toEqual({ healthy: true, version: pkg.version })
  })

  test("without a password it warns, quietly on loopback", async () => {
    const s = await serve(["--port", "0"])
    await s.waitOutput("Warning: OPENCODE_SERVER_PASSWORD is not set")
    expect(s.stderr()).not.toContain("WARNING")
  })

  test("the warning is louder when the server is reachable beyond this machine", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1"]) expect(passwordWarning(host)).toStartWith("Warning:")
    for (const host of ["0.0.0.0", "::", "192.168.1.5"]) {
      expect(passwordWarning(host)).toStartWith("WARNING:")
      expect(passwordWarning(host)).toContain(host)
    }
  })

  test("an IPv6 hostname is printed in brackets", async () => {
    const s = await serve(["--port", "0", "--hostname", "::1"])
    expect(s.url).toBe(`http://[::1]:${s.port}`)
    expect((await fetch(s.url + "/global/health")).status).toBe(200)
  })

  test("with a password it does not warn and requires it", async () => {
    const s = await serve(["--port", "0"], { OPENCODE_SERVER_PASSWORD: "pw" })
    expect((await fetch(s.base + "/global/health")).status).toBe(401)
    const ok = await fetch(s.base + "/global/health", { headers: { authorization: "Basic " + btoa("opencode:pw") } })
    expect(ok.status).toBe(200)
    expect(s.stderr()).not.toContain("OPENCODE_SERVER_PASSWORD")
  })

  test("--cors adds an allowed browser origin", async () => {
    const s = await serve(["--port", "0", "--cors", "https://app.example.com/", "--cors", "https://two.example.com"])
    for (const origin of ["https://app.example.com", "https://two.example.com"]) {
      const r = await fetch(s.base + "/global/health", { headers: { origin } })
      expect(r.headers.get("access-control-allow-origin")).toBe(origin)
    }
    const other = await fetch(s.base + "/global/health", { headers: { origin: "https://evil.example.com" } })
    expect(other.headers.get("access-control-allow-origin")).toBeNull()
  })

  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    test(`${sig} shuts down within 2 s: streams ended, database closed`, async () => {
      const s = await serve(["--port", "0"])
      const sse = sseReader(await fetch(s.base + "/event"))
      expect((await sse.next(() => true)).data.type).toBe("server.connected")
      const global = sseReader(await fetch(s.base + "/global/event"))
      await global.next(() => true)
      expect((await fetch(s.base + "/project/current")).status).toBe(200)
      // An open database in WAL mode keeps its -wal file; a clean close checkpoints and removes it.
      expect(exists(walFile(s.dataDir))).toBe(true)
      const { code, ms } = await s.signal(sig)
      expect(code).toBe(0)
      expect(ms).toBeLessThan(2000)
      expect(await sse.waitClosed(500)).toBe(true)
      expect(await global.waitClosed(500)).toBe(true)
      expect(exists(walFile(s.dataDir))).toBe(false)
    })
  }
})
