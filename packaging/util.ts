import fs from "node:fs"
import path from "node:path"

/** What every artefact says about the release: read once from package.json. */
export type Meta = {
  version: string
  description: string
  license: string
  homepage: string
  repository: string
  /** Debian's Maintainer field: package.json's author. */
  maintainer: string
  /** Where the release files will be served from ({version} already filled in). */
  baseUrl: string
  readme: string
  licenseFile: string
}

export class ReleaseError extends Error {}

export async function exec(cmd: string[], opts: { cwd?: string } = {}) {
  const proc = Bun.spawn(cmd, { cwd: opts.cwd, stdout: "pipe", stderr: "pipe", stdin: "ignore" })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new ReleaseError(`${cmd.join(" ")} failed (exit ${code}):\n${err}${out}`)
  return out
}

export function requireTool(name: string, why: string) {
  if (!Bun.which(name)) throw new ReleaseError(`${name} is needed ${why}; install it (Debian: apt-get install ${name})`)
}

export async function sha256(file: string) {
  const hasher = new Bun.CryptoHasher("sha256")
  const reader = Bun.file(file).stream().getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) hasher.update(r.value)
  return hasher.digest("hex")
}

/** Replaces every @@KEY@@ in a template; a placeholder left unfilled is a bug in the caller. */
export function fill(template: string, values: Record<string, string>) {
  const out = template.replace(/@@([A-Z0-9_]+)@@/g, (m, key: string) => {
    if (!(key in values)) throw new ReleaseError(`template value ${key} missing`)
    return values[key]
  })
  return out
}

/** A shell template with the shared machine detection (detect.sh) pasted at `# @@DETECT@@`. */
export function detectScript(template: string) {
  const detect = fs.readFileSync(path.join(import.meta.dir, "detect.sh"), "utf8")
  if (!template.includes("# @@DETECT@@")) throw new ReleaseError("template has no # @@DETECT@@ line")
  return template.replace("# @@DETECT@@", () => detect.trimEnd())
}

/** `sha256sum -c` format over every file under dir (sub-folders too), SHA256SUMS itself excepted. */
export async function writeChecksums(dir: string) {
  const files = (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[])
    .filter((f) => f !== "SHA256SUMS" && fs.statSync(path.join(dir, f)).isFile())
    .sort()
  const lines: string[] = []
  for (const f of files) lines.push(`${await sha256(path.join(dir, f))}  ${f.split(path.sep).join("/")}`)
  fs.writeFileSync(path.join(dir, "SHA256SUMS"), lines.join("\n") + "\n")
  return files.length
}
