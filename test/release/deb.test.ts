// The .deb unpacked into a scratch root (no system install on this machine), then run.
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import pkg from "../../package.json" with { type: "json" }
import { DEB } from "../../packaging/targets"
import { run, spawnServe, reap, type ServeProcess } from "../cli/serve-process"
import { tmpdir } from "../helpers/tmp"
import { hostTargets, releaseDir, whyNot } from "./fixture"

const arch = process.arch === "x64" ? "amd64" : "arm64"
const missing = whyNot()
if (missing) test.skip(`.deb (skipped: ${missing})`, () => {})

async function dpkgDeb(...args: string[]) {
  const r = await run(["dpkg-deb", ...args], { timeoutMs: 120_000 })
  if (r.code !== 0) throw new Error(`dpkg-deb ${args.join(" ")}: ${r.stderr}`)
  return r.stdout
}

if (!missing)
  describe(".deb", () => {
    let deb: string
    let root: string
    const running: ServeProcess[] = []
    beforeAll(async () => {
      const dir = await releaseDir()
      deb = path.join(dir, `opencode-bun_${pkg.version}_${arch}.deb`)
      root = tmpdir("deb-root-")
      await dpkgDeb("-x", deb, root)
    }, 300_000)
    afterAll(() => reap(running))

    test("names our package, version and architecture, with no maintainer scripts", async () => {
      expect((await dpkgDeb("-f", deb, "Package", "Version", "Architecture")).trim().split("\n")).toEqual([
        "Package: opencode-bun",
        `Version: ${pkg.version}`,
        `Architecture: ${arch}`,
      ])
      // No postinst: installing the package can never enable or start the service.
      const control = tmpdir("deb-control-")
      await dpkgDeb("-e", deb, control)
      expect(fs.readdirSync(control).sort()).toEqual(["conffiles", "control"])
      expect(fs.readFileSync(path.join(control, "conffiles"), "utf8")).toBe("/etc/default/opencode-bun\n")
    })

    test("/usr/bin/opencode-bun is the build for every CPU of the architecture, and serves /global/health", async () => {
      const bin = path.join(root, "usr/bin/opencode-bun")
      expect(hostTargets()).toContain(DEB[arch])
      expect((await run([bin, "--version"])).stdout.trim()).toBe(pkg.version)
      const s = await spawnServe([bin, "serve", "--port", "0"])
      running.push(s)
      expect(await (await fetch(s.base + "/global/health")).json()).toEqual({ healthy: true, version: pkg.version })
    })

    test("ships a systemd unit serving on the LAN with --mdns, settings in /etc/default", () => {
      const unit = fs.readFileSync(path.join(root, "usr/lib/systemd/system/opencode-bun.service"), "utf8")
      expect(unit).toMatch(/^ExecStart=\/usr\/bin\/opencode-bun serve --mdns --port \$\{OPENCODE_BUN_PORT\} \$OPENCODE_BUN_FLAGS$/m)
      expect(unit).toContain("EnvironmentFile=-/etc/default/opencode-bun")
      expect(unit).toMatch(/^WantedBy=multi-user.target$/m)
      expect(unit).not.toContain("@@")
      const settings = fs.readFileSync(path.join(root, "etc/default/opencode-bun"), "utf8")
      expect(settings).toContain("#OPENCODE_SERVER_PASSWORD=")
      // Nothing is enabled by the package itself: no wants/ symlink in the tree.
      expect(fs.existsSync(path.join(root, "etc/systemd"))).toBe(false)
    })

    test("dpkg installs it into a scratch root with its own database", async () => {
      if (!Bun.which("dpkg")) return console.warn("dpkg is not installed: only dpkg-deb -x was checked")
      const scratch = tmpdir("dpkg-root-")
      fs.mkdirSync(path.join(scratch, "var/lib/dpkg/updates"), { recursive: true })
      fs.mkdirSync(path.join(scratch, "var/lib/dpkg/info"), { recursive: true })
      // The scratch database knows the one package we depend on (the real system's libc runs the binary).
      const libc = `Package: libc6\nStatus: install ok installed\nVersion: 2.36\nArchitecture: ${arch}\nMaintainer: test\nDescription: stand-in\n`
      fs.writeFileSync(path.join(scratch, "var/lib/dpkg/status"), libc)
      fs.writeFileSync(path.join(scratch, "var/lib/dpkg/info/libc6.list"), "")
      const r = await run(["dpkg", `--root=${scratch}`, "--force-not-root", "--force-script-chrootless", "--log=/dev/null", "-i", deb], { timeoutMs: 120_000 })
      expect(r.stderr).toBe("")
      expect(r.code).toBe(0)
      const status = fs.readFileSync(path.join(scratch, "var/lib/dpkg/status"), "utf8")
      expect(status).toContain("Package: opencode-bun\nStatus: install ok installed")
      expect((await run([path.join(scratch, "usr/bin/opencode-bun"), "--version"])).stdout.trim()).toBe(pkg.version)
    }, 120_000)
  })
