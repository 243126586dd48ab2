import fs from "node:fs"
import os from "node:os"
import path from "node:path"

// Removed once every test has run (the preload registers removeTempDirs as a global afterAll:
// `bun test` does not emit the process's "exit" event, so an exit handler alone left every
// directory behind, release builds of 400 MB included, until the disk filled), or at exit when
// a script outside `bun test` uses these helpers.
const created: string[] = []
let hooked = false

/** Deletes every directory tmpdir() made in this process. */
export function removeTempDirs() {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/** A fresh directory under the OS temp dir, removed when the tests (or the process) are done. */
export function tmpdir(prefix = "proj-"): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `ocb-${prefix}`)))
  created.push(dir)
  if (!hooked) {
    hooked = true
    process.once("exit", removeTempDirs)
  }
  return dir
}

/** Writes `files` (relative path -> content) under `dir`, creating folders as needed. */
export function writeTree(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  return dir
}

/** A fresh temp directory holding `files`. */
export function tmpTree(files: Record<string, string | Uint8Array>, prefix?: string): string {
  return writeTree(tmpdir(prefix), files)
}

/** A temp git repository with one commit (so it has a project id). */
export async function gitRepo(files: Record<string, string> = { "README.md": "hello\n" }): Promise<string> {
  const dir = tmpTree(files, "git-")
  const run = async (...args: string[]) => {
    const p = Bun.spawn(["git", ...args], { cwd: dir, stdout: "ignore", stderr: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } })
    if ((await p.exited) !== 0) throw new Error(`git ${args.join(" ")}: ${await new Response(p.stderr).text()}`)
  }
  await run("init", "-q", "-b", "main")
  await run("add", "-A")
  await run("commit", "-q", "-m", "init")
  return dir
}

export async function gitIn(dir: string, ...args: string[]) {
  const p = Bun.spawn(["git", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } })
  const out = await new Response(p.stdout).text()
  if ((await p.exited) !== 0) throw new Error(`git ${args.join(" ")}: ${await new Response(p.stderr).text()}`)
  return out
}
