import fuzzysort from "fuzzysort"
import type { Instance } from "../project/instance"
import { FileIndex } from "./file-index"

export type FindFilesInput = {
  query: string
  /** Default 10, as the real server. */
  limit?: number
  type?: "file" | "directory"
  /** Legacy: false means files only. */
  dirs?: boolean
}

const DEFAULT_LIMIT = 10

function indexOf(instance: Instance) {
  return instance.state("file.index", () => new FileIndex(instance), (i) => i.dispose())
}

/**
 * Fuzzy file and directory finding over the project's kept files. Directories end in "/".
 * Hidden paths (a segment starting with ".") sink below visible directories unless the
 * query itself asks for a hidden one.
 */
export async function findFiles(instance: Instance, input: FindFilesInput): Promise<string[]> {
  const query = input.query.trim().replaceAll("\\", "/")
  const limit = input.limit ?? DEFAULT_LIMIT
  const kind = input.type ?? (input.dirs === false ? "file" : "all")
  const view = await indexOf(instance).current()
  const wantsHidden = query.startsWith(".") || query.includes("/.")

  if (!query) {
    if (kind === "file") return view.files.slice(0, limit)
    return hiddenLast([...view.dirs].sort(), wantsHidden).slice(0, limit)
  }
  // Over-fetch directories so reordering hidden ones last still fills the limit with visible ones.
  const fetch = kind === "directory" && !wantsHidden ? limit * 20 : limit
  const found = fuzzysort.go(query, view.search(kind), { limit: fetch, threshold: 0 }).map((r) => r.target)
  return kind === "directory" ? hiddenLast(found, wantsHidden).slice(0, limit) : found
}

function hiddenLast(items: string[], keep: boolean) {
  if (keep) return items
  const visible: string[] = []
  const hidden: string[] = []
  for (const item of items) (isHidden(item) ? hidden : visible).push(item)
  return visible.concat(hidden)
}

function isHidden(p: string) {
  return p.split("/").some((seg) => seg.length > 1 && seg.startsWith("."))
}
