// Debian packages: /usr/bin/opencode-bun plus a systemd unit that is installed but not
// enabled (no maintainer scripts at all: installing never starts a network service).
import fs from "node:fs"
import path from "node:path"
import type { Platform } from "../build"
import { COMMAND } from "./targets"
import { exec, fill, requireTool, type Meta } from "./util"

const HERE = path.join(import.meta.dir, "deb")

export const debName = (version: string, arch: string) => `${COMMAND}_${version}_${arch}.deb`

function put(root: string, rel: string, content: string | Buffer, mode = 0o644) {
  const file = path.join(root, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 })
  fs.writeFileSync(file, content)
  fs.chmodSync(file, mode)
}

export async function deb(arch: string, p: Platform, binary: string, meta: Meta, work: string, outdir: string) {
  requireTool("dpkg-deb", "for the .deb packages")
  const root = path.join(work, `deb-${arch}`)
  fs.rmSync(root, { recursive: true, force: true })
  const values = { VERSION: meta.version, HOMEPAGE: meta.homepage, ARCH: arch, MAINTAINER: meta.maintainer }
  put(root, `usr/bin/${COMMAND}`, fs.readFileSync(binary), 0o755)
  put(root, `usr/lib/systemd/system/${COMMAND}.service`, fill(fs.readFileSync(path.join(HERE, "opencode-bun.service"), "utf8"), values))
  put(root, `etc/default/${COMMAND}`, fs.readFileSync(path.join(HERE, "default.env")))
  put(root, `usr/share/doc/${COMMAND}/copyright`, fs.readFileSync(meta.licenseFile))
  const sizeKb = Math.ceil(
    (fs.readdirSync(root, { recursive: true, encoding: "utf8" }) as string[])
      .map((f) => fs.statSync(path.join(root, f)))
      .filter((s) => s.isFile())
      .reduce((n, s) => n + s.size, 0) / 1024,
  )
  put(root, "DEBIAN/control", fill(fs.readFileSync(path.join(HERE, "control"), "utf8"), { ...values, SIZE_KB: String(sizeKb) }))
  // Edits the admin makes to the settings file survive upgrades.
  put(root, "DEBIAN/conffiles", `/etc/default/${COMMAND}\n`)
  const out = path.join(outdir, debName(meta.version, arch))
  // gzip, not dpkg's default xz: xz on a 120 MB executable takes a minute for a few MB.
  await exec(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root, out])
  fs.rmSync(root, { recursive: true, force: true })
  return out
}
