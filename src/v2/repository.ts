import path from "node:path"
import { setting } from "../global/settings"

// Where a config reference to a git repository points: the forms opencode accepts
// (github:owner/repo, owner/repo, host/path, git@host:path, URLs) reduced to a host and path
// segments, which also name its local clone.

export type Repository = { host: string; segments: string[]; remote: string }

const HOST_OK = (h: string) => h.length > 0 && !h.startsWith("-") && !/[\s/\\]/.test(h)
const SEGMENT_OK = (s: string) => s !== "." && s !== ".." && !s.includes(":") && !/[\s/\\]/.test(s)
const looksLikeHost = (s: string) => s.includes(".") || s.includes(":") || s === "localhost"

/** Undefined for anything that is not a remote git repository (local paths and file: URLs included). */
export function parseRepository(input: string): Repository | undefined {
  const value = input.trim().replace(/^git\+/, "").replace(/#.*$/, "").replace(/\/+$/, "")
  if (!value) return undefined
  const github = value.match(/^github:([^/\s]+)\/([^/\s]+)$/)
  if (github) return make("github.com", [github[1]!, github[2]!])
  if (!value.includes("://")) {
    const scp = value.match(/^(?:[^@/\s]+@)?([^:/\s]+):(.+)$/)
    if (scp) return make(scp[1]!, split(scp[2]!), value)
    const parts = split(value)
    if (parts.length >= 2 && looksLikeHost(parts[0]!)) return make(parts[0]!, parts.slice(1))
    if (parts.length === 2) return make("github.com", parts)
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.protocol === "file:") return undefined
  const parts = split(url.pathname)
  return make(url.host, parts, url.host === "github.com" ? githubRemote(parts.join("/")) : value)
}

/** A branch name safe to hand to git. */
export function validBranch(branch: string) {
  return /^[A-Za-z0-9/_.-]+$/.test(branch) && !branch.startsWith("-") && !branch.includes("..")
}

/** The clone's directory under `root`: host, path, and the branch when one is pinned. */
export function clonePath(root: string, repo: Repository, branch?: string) {
  const dir = path.join(root, ...repo.host.split(":"), ...repo.segments)
  return branch ? `${dir}@${encodeURIComponent(branch)}` : dir
}

function make(host: string, rawSegments: string[], remote?: string): Repository | undefined {
  const segments = rawSegments.map(stripGit).filter(Boolean)
  if (!HOST_OK(host) || !segments.length || !segments.every(SEGMENT_OK)) return undefined
  const h = host.toLowerCase()
  const p = segments.join("/")
  return { host: h, segments, remote: remote ?? (h === "github.com" ? githubRemote(p) : `https://${h}/${p}.git`) }
}

// OPENCODE_REPO_CLONE_GITHUB_BASE_URL points GitHub shorthands at a mirror, as in opencode.
function githubRemote(p: string) {
  const base = setting("OPENCODE_REPO_CLONE_GITHUB_BASE_URL")
  if (!base) return `https://github.com/${p}.git`
  return new URL(`${p}.git`, base.endsWith("/") ? base : `${base}/`).href
}

const stripGit = (s: string) => s.trim().replace(/\.git$/, "")
const split = (s: string) => s.split("/").map(stripGit).filter(Boolean)
