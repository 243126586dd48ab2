// What cannot run on this machine is checked statically: the Homebrew formula (ruby -c and
// its sha256 values), the Dockerfile (no container daemon here), the npm selection matrix for
// other systems. And one version everywhere, with SHA256SUMS over every file.
import { beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import pkg from "../../package.json" with { type: "json" }
import { candidates } from "../../packaging/npm/postinstall.mjs"
import type { Platform } from "../../build"
import { archiveName, CONTAINER } from "../../packaging/targets"
import { run } from "../cli/serve-process"
import { tmpdir } from "../helpers/tmp"
import { checksums, hostTargets, releaseDir, ROOT, whyNot } from "./fixture"

const BASE = `http://127.0.0.1:9/opencode-bun/v${pkg.version}`

test("the npm postinstall picks glibc or musl, AVX2 or baseline", () => {
  expect(candidates({ platform: "linux", arch: "x64", musl: false, avx2: true })).toEqual(["linux-x64", "linux-x64-baseline"])
  expect(candidates({ platform: "linux", arch: "x64", musl: false, avx2: false })).toEqual(["linux-x64-baseline"])
  expect(candidates({ platform: "linux", arch: "x64", musl: true, avx2: true })).toEqual(["linux-x64-musl", "linux-x64-musl-baseline"])
  expect(candidates({ platform: "linux", arch: "x64", musl: true, avx2: false })).toEqual(["linux-x64-musl-baseline"])
  expect(candidates({ platform: "linux", arch: "arm64", musl: true, avx2: false })).toEqual(["linux-arm64-musl"])
  expect(candidates({ platform: "darwin", arch: "arm64", musl: false, avx2: false })).toEqual(["darwin-arm64"])
  // Windows cannot tell cheaply: AVX2 first, baseline when that one does not run.
  expect(candidates({ platform: "win32", arch: "x64", musl: false, avx2: undefined })).toEqual(["windows-x64", "windows-x64-baseline"])
  expect(candidates({ platform: "freebsd", arch: "x64", musl: false, avx2: true })).toEqual([])
})

test("npm run release names an unknown target and the ones it knows", async () => {
  const r = await run([process.execPath, path.join(ROOT, "release.ts"), "--target", "linux-sparc"], { cwd: ROOT })
  expect(r.code).toBe(1)
  expect(r.stderr.trim()).toStartWith("release failed: unknown target 'linux-sparc': expected linux-x64, linux-x64-baseline, linux-x64-musl,")
})

const missing = whyNot()
if (missing) test.skip(`release artefacts (skipped: ${missing})`, () => {})

if (!missing)
  describe("release artefacts", () => {
    let dir: string
    let sums: Map<string, string>
    beforeAll(async () => {
      dir = await releaseDir()
      sums = checksums(dir)
    }, 300_000)

    test("SHA256SUMS lists every file, and sha256sum -c agrees", async () => {
      const files = (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile() && f !== "SHA256SUMS")
      expect([...sums.keys()].sort()).toEqual(files.sort())
      const r = await run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], { cwd: dir, timeoutMs: 120_000 })
      expect(r.stdout + r.stderr).toBe("")
      expect(r.code).toBe(0)
    }, 120_000)

    test("every archive holds the executable, LICENSE and README.md, at package.json's version", async () => {
      for (const p of hostTargets()!) {
        const listed = await run(["tar", "-tzf", path.join(dir, archiveName(p))], { timeoutMs: 60_000 })
        expect(listed.stdout.trim().split("\n").sort()).toEqual(["LICENSE", "README.md", "opencode-bun"])
      }
      const x = tmpdir("archive-")
      await run(["tar", "-xzf", path.join(dir, archiveName(hostTargets()![0])), "-C", x], { timeoutMs: 60_000 })
      expect((await run([path.join(x, "opencode-bun"), "--version"])).stdout.trim()).toBe(pkg.version)
    }, 120_000)

    test("the npm packages pin each other at one version, with os, cpu and libc", async () => {
      const manifest = async (file: string) => JSON.parse((await run(["tar", "-xzOf", path.join(dir, "npm", file), "package/package.json"], { timeoutMs: 60_000 })).stdout)
      const wrapper = await manifest(`opencode-bun-${pkg.version}.tgz`)
      expect(wrapper.name).toBe("opencode-bun")
      expect(wrapper.version).toBe(pkg.version)
      expect(wrapper.bin).toEqual({ "opencode-bun": "bin/opencode-bun.exe" })
      expect(Object.keys(wrapper.bin)).not.toContain("opencode")
      expect(wrapper.scripts).toEqual({ postinstall: "node postinstall.mjs" })
      // The placeholder has no "#!" line: npm's Windows shim must run it as the .exe it becomes.
      const placeholder = (await run(["tar", "-xzOf", path.join(dir, "npm", `opencode-bun-${pkg.version}.tgz`), "package/bin/opencode-bun.exe"])).stdout
      expect(placeholder).not.toStartWith("#!")
      expect(placeholder).toContain("ocb_target() {")
      expect(placeholder).not.toContain("@@")
      expect(wrapper.optionalDependencies).toEqual(Object.fromEntries(hostTargets()!.map((p) => [`opencode-bun-${p}`, pkg.version])))
      for (const p of hostTargets()!) {
        const m = await manifest(`opencode-bun-${p}-${pkg.version}.tgz`)
        expect({ name: m.name, version: m.version, os: m.os, cpu: m.cpu, libc: m.libc }).toEqual({
          name: `opencode-bun-${p}`,
          version: pkg.version,
          os: ["linux"],
          cpu: [process.arch],
          libc: [p.includes("musl") ? "musl" : "glibc"],
        })
      }
    }, 120_000)

    test("the Homebrew formula parses, and its URLs and sha256 values match the archives", async () => {
      const rb = fs.readFileSync(path.join(dir, "homebrew-tap/Formula/opencode-bun.rb"), "utf8")
      expect(rb).toContain("class OpencodeBun < Formula")
      expect(rb).toContain(`version "${pkg.version}"`)
      expect(rb).toContain('bin.install "opencode-bun"')
      const pairs = [...rb.matchAll(/url "([^"]+)"\s+sha256 "([0-9a-f]{64})"/g)].map((m) => [m[1], m[2]])
      expect(pairs.length).toBeGreaterThan(0)
      for (const [url, sha] of pairs) {
        expect(url.startsWith(`${BASE}/`)).toBe(true)
        expect(sums.get(url.slice(BASE.length + 1))).toBe(sha)
      }
      if (!Bun.which("ruby")) return console.warn("ruby is not installed (.ci/run installs it): the formula's syntax was not checked")
      const r = await run(["ruby", "-c", path.join(dir, "homebrew-tap/Formula/opencode-bun.rb")])
      expect(r.stdout.trim()).toBe("Syntax OK")
    })

    test("the Dockerfile: Alpine, the checked musl archive per architecture, non-root, port 4096, a health check", () => {
      const text = fs.readFileSync(path.join(dir, "Dockerfile"), "utf8")
      expect(text).not.toContain("@@")
      const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])
      expect(froms.every((f) => /^alpine:\d+\.\d+$/.test(f))).toBe(true)
      const final = text.slice(text.lastIndexOf("\nFROM "))
      expect(final).toMatch(/^RUN apk add --no-cache libstdc\+\+ libgcc/m)
      expect(final).toMatch(/^USER opencode$/m)
      expect(final).toMatch(/adduser -D -u 10001/)
      expect(final).toMatch(/^EXPOSE 4096$/m)
      expect(final).toMatch(/^HEALTHCHECK .*\n?.*http:\/\/127\.0\.0\.1:4096\/global\/health/m)
      expect(final).toMatch(/^ENTRYPOINT \["opencode-bun"\]$/m)
      expect(final).toContain('CMD ["serve", "--hostname", "0.0.0.0", "--port", "4096"]')
      expect(text).toContain(`COPY SHA256SUMS ${archiveName(CONTAINER.amd64)} ${archiveName(CONTAINER.arm64)} /release/`)
      expect(text).toContain(`amd64) archive=${archiveName(CONTAINER.amd64)} ;;`)
      expect(text).toContain(`arm64) archive=${archiveName(CONTAINER.arm64)} ;;`)
      expect(text).toContain('sha256sum -c -')
      // The archive built here for this machine's architecture is the musl build Alpine can load.
      const here = CONTAINER[process.arch === "x64" ? "amd64" : "arm64"]
      expect(sums.has(archiveName(here))).toBe(true)
    })

    test("the musl executable asks for musl's loader, the glibc one for glibc's", async () => {
      const interp = async (p: Platform) => {
        const x = tmpdir("interp-")
        await run(["tar", "-xzf", path.join(dir, archiveName(p)), "-C", x, "opencode-bun"], { timeoutMs: 60_000 })
        return fs.readFileSync(path.join(x, "opencode-bun")).subarray(0, 4096).toString("latin1")
      }
      const [glibc, musl] = [hostTargets()![0], hostTargets()!.find((p) => p.endsWith("-musl"))!]
      expect(await interp(musl)).toContain("/lib/ld-musl-")
      expect(await interp(glibc)).toContain("/lib64/ld-linux-")
    }, 120_000)

    test("install.sh carries the version and base URL the release was made with", () => {
      const sh = fs.readFileSync(path.join(dir, "install.sh"), "utf8")
      expect(sh).toStartWith("#!/bin/sh\n")
      expect(sh).toContain(`BASE_URL="${BASE}"`)
      expect(sh).toContain(`opencode-bun ${pkg.version}`)
      expect(sh).not.toContain("@@")
      expect(sh).toContain("ocb_target() {")
    })
  })
