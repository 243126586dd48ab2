// The npm channel end to end: publish the release's tarballs to a loopback registry,
// `npm install -g opencode-bun` from it into a temporary prefix, run the command.
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import pkg from "../../package.json" with { type: "json" }
import { run, spawnServe, reap, type ServeProcess } from "../cli/serve-process"
import { tmpdir } from "../helpers/tmp"
import { detectedTarget, releaseDir, whyNot } from "./fixture"
import { npm, startRegistry, VERDACCIO, type Registry } from "./registry"

const missing = whyNot() ?? (fs.existsSync(VERDACCIO) ? undefined : "verdaccio is not installed (npm install)")
if (missing) test.skip(`npm packages (skipped: ${missing})`, () => {})

const isElf = (file: string) => fs.readFileSync(file).subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))

if (!missing)
  describe("npm packages", () => {
    let reg: Registry
    let dir: string
    const running: ServeProcess[] = []
    beforeAll(async () => {
      ;[dir, reg] = await Promise.all([releaseDir(), startRegistry()])
      const wrapper = `opencode-bun-${pkg.version}.tgz`
      const platforms = fs.readdirSync(path.join(dir, "npm")).filter((t) => t !== wrapper)
      // Platform packages first: the wrapper's optional dependencies must resolve when it lands.
      await Promise.all(platforms.map((t) => npm(reg, ["publish", path.join(dir, "npm", t)], dir)))
      await npm(reg, ["publish", path.join(dir, "npm", wrapper)], dir)
    }, 600_000)
    afterAll(() => {
      reap(running)
      reg?.stop()
    })

    test("npm install -g puts this machine's executable itself on PATH, and it serves /global/health", async () => {
      const prefix = tmpdir("npm-prefix-")
      await npm(reg, ["install", "-g", "--prefix", prefix, `opencode-bun@${pkg.version}`], prefix)
      const bin = path.join(prefix, "bin/opencode-bun")
      const wrapper = path.join(prefix, "lib/node_modules/opencode-bun")
      // No launcher: the command resolves to the ELF executable, the very file of the chosen platform package.
      const real = fs.realpathSync(bin)
      expect(real).toBe(path.join(wrapper, "bin/opencode-bun.exe"))
      expect(isElf(real)).toBe(true)
      const chosen = path.join(wrapper, "node_modules", `opencode-bun-${await detectedTarget()}`, "bin/opencode-bun")
      expect(fs.statSync(real).ino).toBe(fs.statSync(chosen).ino)
      // npm itself skipped the musl package on this glibc machine (its "libc" field).
      const installed = fs.readdirSync(path.join(wrapper, "node_modules"))
      expect(installed.some((n) => n.endsWith("-musl"))).toBe(false)
      expect(installed).toContain(`opencode-bun-${await detectedTarget()}`)

      expect((await run([bin, "--version"])).stdout.trim()).toBe(pkg.version)
      const s = await spawnServe([bin, "serve", "--port", "0"])
      running.push(s)
      expect(await (await fetch(s.base + "/global/health")).json()).toEqual({ healthy: true, version: pkg.version })
    }, 300_000)

    test("with install scripts blocked, the first run from a shell puts the executable in place itself", async () => {
      const prefix = tmpdir("npm-prefix-")
      await npm(reg, ["install", "-g", "--ignore-scripts", "--prefix", prefix, `opencode-bun@${pkg.version}`], prefix)
      const real = fs.realpathSync(path.join(prefix, "bin/opencode-bun"))
      expect(isElf(real)).toBe(false)
      const r = await run(["sh", "-c", "opencode-bun --version"], { env: { PATH: `${path.join(prefix, "bin")}:/usr/bin:/bin` } })
      expect(r.stderr).toBe("")
      expect(r.stdout.trim()).toBe(pkg.version)
      expect(isElf(real)).toBe(true)
    }, 300_000)
  })
