import fs from "node:fs/promises"
import path from "node:path"
import type { Instance } from "../project/instance"
import { BadRequestError } from "../util/error"
import { confineExisting } from "./confine"
import { IgnoreRules, toPosix } from "./ignore"
import type { FileNode } from "./schema"

const HIDDEN_FROM_LISTING = new Set([".git", ".DS_Store"])

/** One directory's entries, directories first, each flagged when ignore rules match it. */
export async function listDirectory(instance: Instance, p: string): Promise<FileNode[]> {
  const { absolute, stat } = confineExisting(instance, p || ".")
  if (!stat.isDirectory()) throw new BadRequestError(`Not a directory: ${p}`, "Query")
  const rules = IgnoreRules.of(instance)
  const entries = await fs.readdir(absolute, { withFileTypes: true })
  const nodes: FileNode[] = []
  for (const e of entries) {
    if (HIDDEN_FROM_LISTING.has(e.name)) continue
    const full = path.join(absolute, e.name)
    let isDir = e.isDirectory()
    if (e.isSymbolicLink()) isDir = await fs.stat(full).then((s) => s.isDirectory(), () => false)
    const rel = path.relative(instance.directory, full)
    const posix = toPosix(rel)
    const ignored = !posix.startsWith("../") && rules.ignores(posix, isDir)
    nodes.push({ name: e.name, path: rel, absolute: full, type: isDir ? "directory" : "file", ignored })
  }
  return nodes.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === "directory" ? -1 : 1))
}
