import fs from "node:fs"
import path from "node:path"

const ROOT = path.resolve(import.meta.dir, "../..")

/** Why `binary` should not be tested as it is (missing, or older than a file it is built from), else undefined. */
export function staleReason(binary: string): string | undefined {
  if (!fs.existsSync(binary)) return `${path.relative(ROOT, binary)} is not built`
  const built = fs.statSync(binary).mtimeMs
  const sources = [
    path.join(ROOT, "package.json"),
    path.join(ROOT, "build.ts"),
    ...fs.readdirSync(path.join(ROOT, "src"), { recursive: true, encoding: "utf8" }).map((f) => path.join(ROOT, "src", f)),
  ]
  const newer = sources.find((f) => fs.statSync(f).mtimeMs > built)
  if (newer) return `${path.relative(ROOT, binary)} is older than ${path.relative(ROOT, newer)}`
}
