import { afterAll, beforeAll, expect, test } from "bun:test"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk/v2"
import { startTestServer, type TestServer } from "../helpers/server"
import { gitIn, gitRepo, tmpdir } from "../helpers/tmp"

// GET /project/:id/directories: where a project lives. The TUI takes the last entry without a
// strategy as the project's main directory.

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.stop())

const sdk = (directory: string) => createOpencodeClient({ baseUrl: server.base, directory })

test("a git project: its main checkout, then linked worktrees marked git_worktree", async () => {
  const repo = await gitRepo()
  const linked = path.join(tmpdir("wt-"), "feature")
  await gitIn(repo, "worktree", "add", "-q", "-b", "feature", linked)
  const project = (await sdk(repo).project.current()).data!
  const r = await sdk(linked).project.directories({ projectID: project.id })
  expect(r.response.status).toBe(200)
  expect(r.data).toEqual([{ directory: repo }, { directory: linked, strategy: "git_worktree" }])
})

test("directories outside git: those with sessions, then the asking one", async () => {
  const a = tmpdir("plain-a-")
  const b = tmpdir("plain-b-")
  const c = tmpdir("plain-c-")
  await sdk(a).session.create({})
  await sdk(b).session.create({})
  const dirs = (await sdk(c).project.directories({ projectID: "global" })).data!.map((d) => d.directory)
  // Other test files' sessions may share the global project; ours keep their order.
  expect(dirs.filter((d) => [a, b, c].includes(d))).toEqual([a, b, c])
  expect(dirs.at(-1)).toBe(c)
})

test("an unknown project is a 404 naming it", async () => {
  const r = await sdk(server.directory).project.directories({ projectID: "nope123" })
  expect(r.response.status).toBe(404)
  expect(JSON.stringify(r.error)).toContain("nope123")
})
