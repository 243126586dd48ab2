import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import type { Instance } from "../../project/instance"
import { contains } from "../../project/paths"
import { listReferences } from "../../v2/reference"
import { fileKind } from "../../tool/file-kind"
import { BadRequestError, ForbiddenError } from "../../util/error"

// A file part of a prompt names a project file (a path or a file:// URL) or carries its bytes
// (a data: URL). Files are read once, when the prompt arrives, so the history the model sees
// never changes under it.

const MAX_TEXT = 256 * 1024
const MAX_BINARY = 20 * 1024 * 1024

export type Attachment =
  /** Text to show the model (a text file, or a directory listing). */
  | { kind: "text"; path: string; text: string; truncated: boolean }
  /** Bytes the model receives as a file (images, PDFs), as a data: URL. */
  | { kind: "data"; path: string; url: string; mime: string }

/** Undefined for data: and remote URLs, which are kept as given. */
export function localPath(instance: Instance, url: string): string | undefined {
  if (url.startsWith("data:") || /^https?:\/\//.test(url)) return undefined
  let p = url
  if (url.startsWith("file:")) {
    try {
      p = fileURLToPath(url)
    } catch {
      throw new BadRequestError(`Invalid file URL in a file part: ${url}`, "Body")
    }
  }
  return path.resolve(instance.directory, p)
}

export function readAttachment(instance: Instance, url: string, mime: string): Attachment {
  const file = localPath(instance, url)!
  // Config-named references (folders the user pointed the agent at) are readable like the project.
  const allowed = [instance.directory, instance.worktree, ...listReferences(instance).map((r) => r.path)]
  if (!allowed.some((root) => contains(root, file))) throw new ForbiddenError(`File part outside the project refused: ${file}`)
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch {
    throw new BadRequestError(`File part names a file that does not exist: ${file}`, "Body")
  }
  if (stat.isDirectory()) return { kind: "text", path: file, text: listing(file), truncated: false }
  // A pipe or device would block this synchronous read, and with it the whole server.
  if (!stat.isFile()) throw new BadRequestError(`File part names something that is not a regular file (a pipe, socket or device): ${file}`, "Body")
  const kind = fileKind(file)
  if (kind.kind === "text" && !mime.startsWith("image/") && mime !== "application/pdf") {
    const fd = fs.openSync(file, "r")
    try {
      const buf = Buffer.alloc(Math.min(stat.size, MAX_TEXT))
      const n = fs.readSync(fd, buf, 0, buf.length, 0)
      return { kind: "text", path: file, text: buf.subarray(0, n).toString("utf8"), truncated: stat.size > MAX_TEXT }
    } finally {
      fs.closeSync(fd)
    }
  }
  if (stat.size > MAX_BINARY) throw new BadRequestError(`File part too large (${stat.size} bytes, limit ${MAX_BINARY}): ${file}`, "Body")
  const type = kind.kind === "image" ? kind.mime : mime
  return { kind: "data", path: file, mime: type, url: `data:${type};base64,${fs.readFileSync(file).toString("base64")}` }
}

function listing(dir: string) {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
  return entries.map((e) => (e.isDirectory() ? e.name + "/" : e.name)).join("\n")
}

/** Decodes a data: URL; undefined when it is not one. */
export function decodeDataUrl(url: string): { mime: string; bytes: Buffer } | undefined {
  const m = /^data:([^;,]*)((?:;[^;,]*)*?),(.*)$/s.exec(url)
  if (!m) return undefined
  const base64 = m[2].split(";").includes("base64")
  const bytes = base64 ? Buffer.from(m[3], "base64") : Buffer.from(decodeURIComponent(m[3]), "utf8")
  return { mime: m[1] || "text/plain", bytes }
}
