// install.sh against a loopback web server of the release folder: what a user's
// `curl ... | sh` does, minus the internet.
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import pkg from "../../package.json" with { type: "json" }
import { run, spawnServe, reap, type ServeProcess } from "../cli/serve-process"
import { tmpdir } from "../helpers/tmp"
import { detectedTarget, releaseDir, whyNot } from "./fixture"

const missing = whyNot()
if (missing) test.skip(`install.sh (skipped: ${missing})`, () => {})

/** Serves `dir` read-only; `override` replaces one file's bytes (a damaged download). */
function serveDir(dir: string, override: Map<string, Uint8Array<ArrayBuffer>>) {
  return Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req) {
      const rel = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "")
      if (override.has(rel)) return new Response(override.get(rel))
      const file = path.join(dir, rel)
      if (rel.includes("..") || !fs.existsSync(file) || !fs.statSync(file).isFile()) return new Response("not found", { status: 404 })
      return new Response(Bun.file(file))
    },
  })
}

async function sh(args: string[], env: Record<string, string> = {}) {
  return run(["sh", ...args], { env: { PATH: "/usr/bin:/bin", HOME: tmpdir("home-"), ...env }, timeoutMs: 120_000 })
}

if (!missing)
  describe("install.sh", () => {
    let dir: string
    let server: ReturnType<typeof Bun.serve>
    const override = new Map<string, Uint8Array<ArrayBuffer>>()
    const running: ServeProcess[] = []
    beforeAll(async () => {
      dir = await releaseDir()
      server = serveDir(dir, override)
    }, 300_000)
    afterAll(() => {
      reap(running)
      server?.stop(true)
    })
    const base = () => `http://127.0.0.1:${server.port}`

    test("installs the detected build into --prefix, which then serves /global/health", async () => {
      const prefix = tmpdir("prefix-")
      const r = await sh([path.join(dir, "install.sh"), "--base-url", base(), "--prefix", prefix])
      expect(r.stderr).toBe("")
      expect(r.code).toBe(0)
      const target = await detectedTarget()
      const bin = path.join(prefix, "bin/opencode-bun")
      expect(r.stdout).toContain(`installed opencode-bun ${pkg.version} (${target}) as ${bin}`)
      // Not on PATH in this test: the script says how to fix that.
      expect(r.stdout).toContain(`${path.join(prefix, "bin")} is not on your PATH`)
      expect(fs.statSync(bin).mode & 0o777).toBe(0o755)
      const s = await spawnServe([bin, "serve", "--port", "0"])
      running.push(s)
      expect(await (await fetch(s.base + "/global/health")).json()).toEqual({ healthy: true, version: pkg.version })
    }, 120_000)

    test("run again, it replaces the executable in place and says it was an upgrade", async () => {
      const prefix = tmpdir("prefix-")
      const bin = path.join(prefix, "bin/opencode-bun")
      fs.mkdirSync(path.dirname(bin))
      // An older install: any executable answering --version with another version.
      fs.writeFileSync(bin, "#!/bin/sh\necho 0.0.1\n", { mode: 0o755 })
      const r = await sh([path.join(dir, "install.sh"), "--base-url", base(), "--prefix", prefix], { PATH: `${path.dirname(bin)}:/usr/bin:/bin` })
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`upgraded opencode-bun from 0.0.1 to ${pkg.version}`)
      expect(r.stdout).toContain("start it with: opencode-bun serve")
      expect((await run([bin, "--version"])).stdout.trim()).toBe(pkg.version)
      expect(fs.readdirSync(path.dirname(bin))).toEqual(["opencode-bun"])
    }, 120_000)

    test("a corrupted archive is refused, and nothing is installed", async () => {
      const target = await detectedTarget()
      const name = `opencode-bun-${target}.tar.gz`
      const good = fs.readFileSync(path.join(dir, name))
      const bad = new Uint8Array(good)
      bad[bad.length >> 1] ^= 0xff
      override.set(name, bad)
      try {
        const prefix = tmpdir("prefix-")
        const r = await sh([path.join(dir, "install.sh"), "--base-url", base(), "--prefix", prefix])
        expect(r.code).not.toBe(0)
        expect(r.stderr).toContain(`refusing to install: ${name} does not match SHA256SUMS`)
        expect(r.stderr).toContain("Nothing was installed")
        expect(fs.existsSync(path.join(prefix, "bin"))).toBe(false)
      } finally {
        override.delete(name)
      }
    }, 120_000)

    test("an archive SHA256SUMS does not list is refused; a bad option is named", async () => {
      const name = `opencode-bun-${await detectedTarget()}.tar.gz`
      const sums = fs.readFileSync(path.join(dir, "SHA256SUMS"), "utf8")
      override.set("SHA256SUMS", new TextEncoder().encode(sums.split("\n").filter((l) => !l.endsWith(`  ${name}`)).join("\n")))
      try {
        const r = await sh([path.join(dir, "install.sh"), "--base-url", base(), "--prefix", tmpdir("prefix-")])
        expect(r.code).not.toBe(0)
        expect(r.stderr.trim()).toBe(`install.sh: refusing to install: ${base()}/SHA256SUMS lists no ${name}`)
      } finally {
        override.delete("SHA256SUMS")
      }
      const bad = await sh([path.join(dir, "install.sh"), "--frobnicate"])
      expect(bad.code).not.toBe(0)
      expect(bad.stderr.trim()).toBe("install.sh: unknown option '--frobnicate' (see --help)")
    }, 60_000)

    test("--dry-run names the detected build and the base URL the release was made for", async () => {
      const home = tmpdir("home-")
      const r = await sh([path.join(dir, "install.sh"), "--dry-run"], { HOME: home })
      expect(r.code).toBe(0)
      const url = `http://127.0.0.1:9/opencode-bun/v${pkg.version}`
      expect(r.stdout.trim()).toBe(
        `would download ${url}/opencode-bun-${await detectedTarget()}.tar.gz, check it against ${url}/SHA256SUMS and install ${home}/.local/bin/opencode-bun`,
      )
    })
  })
