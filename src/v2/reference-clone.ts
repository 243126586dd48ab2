import fs from "node:fs"
import path from "node:path"
import { createLog } from "../util/log"
import type { Repository } from "./repository"

const log = createLog("reference")

// One clone per directory per process, whoever asks for it.
const pending = new Map<string, Promise<boolean>>()

/**
 * Clones a referenced repository into `dir` in the background, unless it is already there.
 * Resolves to whether the clone exists afterwards; failures are logged, never thrown. An
 * existing clone is left as it is (not refreshed).
 */
export function ensureClone(repo: Repository, dir: string, branch?: string): Promise<boolean> {
  if (fs.existsSync(path.join(dir, ".git"))) return Promise.resolve(true)
  let run = pending.get(dir)
  if (!run) {
    run = clone(repo, dir, branch).finally(() => pending.delete(dir))
    pending.set(dir, run)
  }
  return run
}

async function clone(repo: Repository, dir: string, branch?: string): Promise<boolean> {
  // Cloned beside its final place and renamed in one step: a half-done clone is never seen.
  const tmp = `${dir}.partial-${process.pid}-${Date.now().toString(36)}`
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 })
    const args = ["git", "clone", "--quiet", ...(branch ? ["--branch", branch] : []), "--", repo.remote, tmp]
    const proc = Bun.spawn(args, {
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
      // Never wait for a password nobody will type; no transports that run commands.
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ALLOW_PROTOCOL: "https:http:ssh:git:file" },
    })
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()])
    if (code !== 0) {
      log.warn("failed to clone reference repository", { remote: repo.remote, branch, error: stderr.trim() })
      return false
    }
    fs.renameSync(tmp, dir)
    return true
  } catch (error) {
    log.warn("failed to clone reference repository", { remote: repo.remote, branch, error })
    return false
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}
