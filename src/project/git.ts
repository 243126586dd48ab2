import path from "node:path"
import fs from "node:fs"

export type GitResult = { code: number; stdout: string; stderr: string }

/** Runs git without a shell; never throws for a non-zero exit (callers decide). */
export async function git(cwd: string, args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}): Promise<GitResult> {
  try {
    const proc = Bun.spawn(["git", ...args], {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", ...opts.env },
      stdin: opts.stdin !== undefined ? new Blob([opts.stdin]) : "ignore",
      stdout: "pipe",
      stderr: "pipe",
    })
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    return { code, stdout, stderr }
  } catch (e) {
    return { code: -1, stdout: "", stderr: e instanceof Error ? e.message : String(e) }
  }
}

/** Nearest ancestor (or self) holding a `.git` entry, without spawning git. */
export function findGitRoot(start: string): string | undefined {
  let dir = path.resolve(start)
  while (true) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
