// Each platform's executable must carry that platform's rg: an x64 Linux rg inside the
// Windows build would leave Windows users without fast search. Uses the executables in dist/
// when they are up to date, else compiles them here (a few seconds each; the first time
// also fetches their Bun runtimes and rg packages with `npm pack`).
import { test, expect } from "bun:test"
import fs from "node:fs"
import { binaryPath, compile, hostPlatform, PLATFORMS, type Platform } from "../../build"
import { ripgrepBinaryFor } from "../../src/file/ripgrep-embed"
import { tmpdir } from "../helpers/tmp"
import { staleReason } from "./fresh"

const CHECKED: Platform[] = ["linux-arm64", "windows-x64"]
// Whatever the host is, some other platform's rg must be absent too.
const FOREIGN: Platform = hostPlatform() === "linux-x64" ? "linux-x64" : "darwin-arm64"

let outdir: string | undefined
async function executable(p: Platform) {
  if (!staleReason(binaryPath(p))) return binaryPath(p)
  outdir ??= tmpdir("cross-build-")
  return compile(p, outdir)
}

for (const p of CHECKED) {
  test(
    `the ${p} executable embeds the ${p} rg, byte for byte, and not the ${FOREIGN} one`,
    async () => {
      const exe = fs.readFileSync(await executable(p))
      const own = fs.readFileSync(await ripgrepBinaryFor(PLATFORMS[p].target))
      const foreign = fs.readFileSync(await ripgrepBinaryFor(PLATFORMS[FOREIGN].target))
      expect(Bun.hash(own)).not.toBe(Bun.hash(foreign))
      expect(exe.indexOf(own)).toBeGreaterThan(0)
      expect(exe.indexOf(foreign)).toBe(-1)
    },
    // The first run on a machine downloads the target's Bun runtime (tens of MB).
    180_000,
  )
}
