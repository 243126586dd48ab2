import { afterAll, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk/v2"
import { startTestServer, type TestServer } from "../helpers/server"
import { gitIn, gitRepo, tmpdir } from "../helpers/tmp"

// The working-tree changes behind the TUI's diff viewer (/diff): status, per-file patches,
// the raw patch, and applying one.

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.stop())

const sdk = (directory: string) => createOpencodeClient({ baseUrl: server.base, directory })

async function changedRepo() {
  const repo = await gitRepo({ "src/a.ts": "one\ntwo\nthree\n", "gone.txt": "bye\n", "keep.md": "same\n" })
  fs.writeFileSync(path.join(repo, "src/a.ts"), "one\nTWO\nthree\nfour\n")
  fs.rmSync(path.join(repo, "gone.txt"))
  fs.writeFileSync(path.join(repo, "new file.md"), "hello\nworld\n")
  return repo
}

test("status: changed, deleted and untracked files with line counts, sorted", async () => {
  const repo = await changedRepo()
  const r = await sdk(repo).vcs.status()
  expect(r.response.status).toBe(200)
  expect(r.data).toEqual([
    { file: "gone.txt", additions: 0, deletions: 1, status: "deleted" },
    { file: "new file.md", additions: 2, deletions: 0, status: "added" },
    { file: "src/a.ts", additions: 2, deletions: 1, status: "modified" },
  ])
})

test("diff (git mode): each file with its unified patch; context is honoured", async () => {
  const repo = await changedRepo()
  const files = (await sdk(repo).vcs.diff({ mode: "git" })).data!
  expect(files.map((f) => f.file)).toEqual(["gone.txt", "new file.md", "src/a.ts"])
  const a = files.find((f) => f.file === "src/a.ts")!
  expect(a).toMatchObject({ additions: 2, deletions: 1, status: "modified" })
  expect(a.patch).toContain("-two\n+TWO\n")
  expect(a.patch).toMatch(/^ one$/m)
  expect(files.find((f) => f.file === "new file.md")!.patch).toContain("+hello\n+world\n")
  expect(files.find((f) => f.file === "gone.txt")!.patch).toContain("-bye\n")

  const tight = (await sdk(repo).vcs.diff({ mode: "git", context: 0 })).data!.find((f) => f.file === "src/a.ts")!
  expect(tight.patch).not.toMatch(/^ one$/m)
  expect(tight.patch).toContain("+TWO")
})

test("diff (branch mode): nothing on the default branch; a feature branch's changes since it forked", async () => {
  const repo = await gitRepo({ "base.txt": "base\n" })
  expect((await sdk(repo).vcs.diff({ mode: "branch" })).data).toEqual([])
  await gitIn(repo, "checkout", "-q", "-b", "feature")
  fs.writeFileSync(path.join(repo, "feature.txt"), "feature work\n")
  await gitIn(repo, "add", "-A")
  await gitIn(repo, "commit", "-q", "-m", "feature")
  const files = (await sdk(repo).vcs.diff({ mode: "branch" })).data!
  expect(files).toHaveLength(1)
  expect(files[0]).toMatchObject({ file: "feature.txt", additions: 1, deletions: 0, status: "added" })
  expect(files[0].patch).toContain("+feature work")
})

test("raw diff applies back onto a clean tree; a patch that does not apply is refused", async () => {
  const repo = await changedRepo()
  const raw = await (await server.fetch("/vcs/diff/raw?directory=" + encodeURIComponent(repo))).text()
  expect(raw).toContain("+TWO")
  expect(raw).toContain("+hello")

  await gitIn(repo, "checkout", "--", ".")
  fs.rmSync(path.join(repo, "new file.md"))
  expect((await sdk(repo).vcs.status()).data).toEqual([])

  const applied = await sdk(repo).vcs.apply({ patch: raw })
  expect(applied.data).toEqual({ applied: true })
  expect(fs.readFileSync(path.join(repo, "src/a.ts"), "utf8")).toBe("one\nTWO\nthree\nfour\n")
  expect(fs.readFileSync(path.join(repo, "new file.md"), "utf8")).toBe("hello\nworld\n")
  expect(fs.existsSync(path.join(repo, "gone.txt"))).toBe(false)

  const again = await sdk(repo).vcs.apply({ patch: raw })
  expect(again.response.status).toBe(400)
  expect(again.error).toMatchObject({ name: "VcsApplyError", data: { reason: "not-clean" } })
})

test("outside git: nothing changed, and applying is refused as non-git", async () => {
  const dir = tmpdir("plain-")
  fs.writeFileSync(path.join(dir, "f.txt"), "x\n")
  expect((await sdk(dir).vcs.status()).data).toEqual([])
  expect((await sdk(dir).vcs.diff({ mode: "git" })).data).toEqual([])
  expect(await (await server.fetch("/vcs/diff/raw?directory=" + encodeURIComponent(dir))).text()).toBe("")
  const r = await sdk(dir).vcs.apply({ patch: "x" })
  expect(r.response.status).toBe(400)
  expect(r.error).toMatchObject({ name: "VcsApplyError", data: { reason: "non-git" } })
})

test("bad input is a 400 naming the field", async () => {
  const noMode = await server.fetch("/vcs/diff")
  expect(noMode.status).toBe(400)
  expect(await noMode.text()).toContain("mode")
})

test("a context out of range is a 400 naming it", async () => {
  const repo = await gitRepo()
  const r = await sdk(repo).vcs.diff({ mode: "git", context: -1 })
  expect(r.response.status).toBe(400)
  expect(JSON.stringify(r.error)).toContain("context")
})
