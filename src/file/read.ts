import fs from "node:fs/promises"
import path from "node:path"
import { structuredPatch, formatPatch } from "diff"
import type { Instance } from "../project/instance"
import { git } from "../project/git"
import { BadRequestError } from "../util/error"
import { confineExisting } from "./confine"
import type { FileContent } from "./schema"

/** Past this a read would turn into a multi-hundred-megabyte JSON body. */
const MAX_READ_BYTES = 50 * 1024 * 1024
const BINARY_MIME = /^(audio|video|font)\/|^application\/(pdf|zip|gzip|x-tar|x-7z-compressed|x-rar-compressed|wasm|x-bzip2)/

/**
 * A file's content: text as UTF-8 (with its diff against git HEAD when it is a modified
 * tracked file), images as base64 text the way the real server sends them, anything else
 * binary as base64 with its mime type.
 */
export async function readFile(instance: Instance, p: string): Promise<FileContent> {
  const { absolute, stat } = confineExisting(instance, p)
  if (stat.isDirectory()) throw new BadRequestError(`Is a directory: ${p}`, "Query")
  // A pipe or device would block the read until someone writes to it, or never end.
  if (!stat.isFile()) throw new BadRequestError(`Cannot read ${p}: not a regular file (a pipe, socket or device)`, "Query")
  if (stat.size > MAX_READ_BYTES)
    throw new BadRequestError(`File too large to read through the API: ${stat.size} bytes (limit ${MAX_READ_BYTES})`, "Query")
  const bytes = await fs.readFile(absolute)
  const mimeType = Bun.file(absolute).type.split(";")[0]
  if (mimeType.startsWith("image/")) return { type: "text", content: bytes.toString("base64"), encoding: "base64", mimeType }
  if (isBinary(bytes, mimeType)) return { type: "binary", content: bytes.toString("base64"), encoding: "base64", mimeType }
  const content = bytes.toString("utf8")
  if (instance.project.vcs !== "git") return { type: "text", content }
  const original = await headVersion(instance.directory, path.relative(instance.directory, absolute))
  if (original === undefined || original === content) return { type: "text", content }
  const name = path.relative(instance.worktree, absolute).split(path.sep).join("/")
  const patch = structuredPatch(name, name, original, content, "old", "new", { context: Infinity, ignoreWhitespace: true })
  if (!patch.hunks.length) return { type: "text", content }
  const hunks = patch.hunks.map(({ oldStart, oldLines, newStart, newLines, lines }) => ({ oldStart, oldLines, newStart, newLines, lines }))
  return { type: "text", content, patch: { oldFileName: name, newFileName: name, oldHeader: "old", newHeader: "new", hunks }, diff: formatPatch(patch) }
}

/** Git's own heuristic (a NUL byte early on) plus media and archive types by extension. */
function isBinary(bytes: Buffer, mime: string) {
  if (BINARY_MIME.test(mime)) return true
  return bytes.subarray(0, 8000).includes(0)
}

/**
 * The file as committed in HEAD; "" for a file staged but not yet committed; undefined for
 * an untracked file or outside a repository with commits.
 */
async function headVersion(cwd: string, rel: string): Promise<string | undefined> {
  const spec = "./" + rel.split(path.sep).join("/")
  const shown = await git(cwd, ["show", `HEAD:${spec}`])
  if (shown.code === 0) return shown.stdout
  const staged = await git(cwd, ["ls-files", "--error-unmatch", "--", rel])
  return staged.code === 0 ? "" : undefined
}
