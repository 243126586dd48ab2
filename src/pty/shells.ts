import fs from "node:fs"
import path from "node:path"
import { POSIX_SHELLS } from "../tool/shell"
import type { PtyShell } from "./schema"

// Shells that take -l to start as a login shell, reading the user's profile like a new
// terminal window does.
const LOGIN = new Set(["bash", "zsh", "sh", "dash", "ksh", "mksh", "ash", "fish"])

function isFile(p: string) {
  try {
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

function resolveShell(shell: string | undefined): string | undefined {
  if (!shell) return undefined
  if (path.isAbsolute(shell)) return isFile(shell) ? shell : undefined
  return Bun.which(shell) ?? undefined
}

/** The shell a new terminal runs: the configured one, else $SHELL, else bash, else sh. */
export function defaultShell(configured?: string): { command: string; args: string[] } {
  const command =
    resolveShell(configured) ??
    resolveShell(process.env.SHELL) ??
    (process.platform === "win32" ? process.env.COMSPEC || "cmd.exe" : Bun.which("bash") ?? "/bin/sh")
  return { command, args: LOGIN.has(path.basename(command)) ? ["-l"] : [] }
}

/**
 * The shells installed on this machine (/etc/shells). `acceptable` marks those the bash tool
 * can drive with POSIX syntax; any of them works in a terminal.
 */
export async function listShells(): Promise<PtyShell[]> {
  const text = await Bun.file("/etc/shells")
    .text()
    .catch(() => "")
  const listed = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
  const candidates = listed.length ? listed : ["/bin/bash", "/bin/zsh", "/bin/sh"]
  const seen = new Set<string>()
  const out: PtyShell[] = []
  for (const p of candidates) {
    if (seen.has(p) || !isFile(p)) continue
    seen.add(p)
    const name = path.basename(p)
    out.push({ path: p, name, acceptable: POSIX_SHELLS.has(name) })
  }
  return out
}
