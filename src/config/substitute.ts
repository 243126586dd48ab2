import fs from "node:fs"
import path from "node:path"
import { type ConfigIssue } from "./error"
import { Paths } from "../global/paths"

const TOKEN = /\{(env|file):([^}]+)\}/g

/**
 * Replaces `{env:VAR}` and `{file:path}` inside every string value of a parsed config.
 * Working on parsed values (not raw text) means comments are never expanded and a file's
 * quotes or newlines cannot break the JSON around them. Paths are relative to the config
 * file's directory; `~/` is the home directory. An unset variable becomes "" (as in opencode).
 */
export function substitute(value: unknown, baseDir: string, issues: ConfigIssue[], at = ""): unknown {
  if (typeof value === "string") return value.includes("{") ? expand(value, baseDir, issues, at) : value
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, baseDir, issues, join(at, String(i))))
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, baseDir, issues, join(at, k))
    return out
  }
  return value
}

function expand(text: string, baseDir: string, issues: ConfigIssue[], at: string) {
  return text.replace(TOKEN, (whole, kind: string, arg: string) => {
    const name = arg.trim()
    if (kind === "env") return process.env[name] ?? ""
    const file = resolvePath(name, baseDir)
    try {
      // A trailing newline is an editor artefact, never part of a key or a prompt's meaning.
      return fs.readFileSync(file, "utf8").replace(/\r?\n$/, "")
    } catch (e: any) {
      issues.push({ path: at, message: `${whole}: cannot read ${file} (${e?.code ?? e?.message})` })
      return ""
    }
  })
}

export function resolvePath(p: string, baseDir: string) {
  if (p === "~") return Paths.home
  if (p.startsWith("~/")) return path.join(Paths.home, p.slice(2))
  return path.resolve(baseDir, p)
}

function join(at: string, key: string) {
  return at ? `${at}.${key}` : key
}
