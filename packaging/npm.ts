// npm packages: one per platform (os, cpu and libc let npm install only the ones that fit)
// and the `opencode-bun` wrapper pinning them all as optional dependencies at one version.
// The wrapper's postinstall links the right executable over its bin placeholder.
import fs from "node:fs"
import path from "node:path"
import type { Platform } from "../build"
import { COMMAND, npmPackageName, target } from "./targets"
import { detectScript, exec, type Meta } from "./util"

const HERE = import.meta.dir

function common(meta: Meta) {
  return {
    version: meta.version,
    license: meta.license,
    homepage: meta.homepage,
    repository: meta.repository,
  }
}

async function pack(dir: string, outdir: string) {
  const out = await exec(["npm", "pack", "--json", "--pack-destination", outdir], { cwd: dir })
  return path.join(outdir, JSON.parse(out)[0].filename as string)
}

/** npm tarball of one platform's executable. */
export async function platformPackage(p: Platform, binary: string, meta: Meta, work: string, outdir: string) {
  const t = target(p)
  const dir = path.join(work, npmPackageName(p))
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true })
  fs.copyFileSync(binary, path.join(dir, "bin", t.exe))
  fs.chmodSync(path.join(dir, "bin", t.exe), 0o755)
  const manifest = {
    name: npmPackageName(p),
    ...common(meta),
    description: `The ${COMMAND} executable for ${p} (installed through the ${COMMAND} package)`,
    os: [t.os === "windows" ? "win32" : t.os],
    cpu: [t.arch],
    ...(t.libc ? { libc: [t.libc] } : {}),
    // Yarn: keep the executable on disk, not inside a zip archive.
    preferUnplugged: true,
    files: ["bin"],
  }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n")
  return pack(dir, outdir)
}

/** The `opencode-bun` wrapper: optional dependencies on every platform package listed. */
export async function wrapperPackage(platforms: Platform[], meta: Meta, work: string, outdir: string) {
  const dir = path.join(work, COMMAND)
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true })
  const placeholder = path.join(dir, "bin", `${COMMAND}.exe`)
  fs.writeFileSync(placeholder, detectScript(fs.readFileSync(path.join(HERE, "npm/placeholder.sh"), "utf8")))
  fs.chmodSync(placeholder, 0o755)
  fs.copyFileSync(path.join(HERE, "npm/postinstall.mjs"), path.join(dir, "postinstall.mjs"))
  fs.copyFileSync(meta.readme, path.join(dir, "README.md"))
  fs.copyFileSync(meta.licenseFile, path.join(dir, "LICENSE"))
  const os = [...new Set(platforms.map((p) => (target(p).os === "windows" ? "win32" : target(p).os)))]
  const cpu = [...new Set(platforms.map((p) => target(p).arch))]
  const manifest = {
    name: COMMAND,
    ...common(meta),
    description: meta.description,
    bin: { [COMMAND]: `bin/${COMMAND}.exe` },
    scripts: { postinstall: "node postinstall.mjs" },
    os,
    cpu,
    optionalDependencies: Object.fromEntries(platforms.map((p) => [npmPackageName(p), meta.version])),
    files: ["bin", "postinstall.mjs", "README.md", "LICENSE"],
  }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n")
  return pack(dir, outdir)
}
