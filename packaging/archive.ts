// Release archives: the executable as `opencode-bun[.exe]` beside LICENSE and README.md, no
// enclosing folder (Homebrew and install.sh take the files as they come).
import fs from "node:fs"
import path from "node:path"
import type { Platform } from "../build"
import { archiveName, target } from "./targets"
import { exec, requireTool, type Meta } from "./util"

let gnuTar: boolean | undefined
async function ownerFlags() {
  gnuTar ??= (await exec(["tar", "--version"])).includes("GNU tar")
  // Files owned by root in the archive, not by whoever ran the release.
  return gnuTar ? ["--owner=0", "--group=0", "--numeric-owner"] : ["--uid", "0", "--gid", "0"]
}

export async function archive(p: Platform, binary: string, meta: Meta, work: string, outdir: string) {
  const t = target(p)
  const stage = path.join(work, `archive-${p}`)
  fs.mkdirSync(stage, { recursive: true })
  fs.copyFileSync(binary, path.join(stage, t.exe))
  fs.chmodSync(path.join(stage, t.exe), 0o755)
  fs.copyFileSync(meta.licenseFile, path.join(stage, "LICENSE"))
  fs.copyFileSync(meta.readme, path.join(stage, "README.md"))
  const out = path.join(outdir, archiveName(p))
  fs.rmSync(out, { force: true })
  if (t.os === "windows") {
    requireTool("zip", "for the Windows .zip archives")
    await exec(["zip", "-q", "-X", out, t.exe, "LICENSE", "README.md"], { cwd: stage })
  } else {
    await exec(["tar", ...(await ownerFlags()), "-czf", out, t.exe, "LICENSE", "README.md"], { cwd: stage })
  }
  fs.rmSync(stage, { recursive: true, force: true })
  return out
}
