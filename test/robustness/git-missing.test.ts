import { afterAll, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startMockLLM, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"
import { project } from "../helpers/harness"
import { FROM_SOURCE, reap, spawnServe, type ServeProcess } from "../cli/serve-process"
import { GIT_MISSING } from "../../src/cli/serve"
import { assertSettled, text } from "./lib"

// No git on the machine: the server says at start what that turns off, and everything else
// (prompts, tools editing files) works.

let llm: MockLLM
let server: TestServer
let dir: string
let bin: string
const PATH = process.env.PATH
const procs: ServeProcess[] = []

beforeAll(async () => {
  llm = await startMockLLM()
  dir = project(llm, { files: { "a.txt": "one\n" } })
  Bun.spawnSync(["git", "init", "-q"], { cwd: dir })
  // A PATH with a shell and a few tools but no git.
  bin = tmpdir("nogit-")
  for (const tool of ["sh", "bash", "ls", "cat"]) fs.symlinkSync(Bun.which(tool)!, path.join(bin, tool))
  process.env.PATH = bin
  server = await startTestServer({ directory: dir })
})
afterAll(async () => {
  process.env.PATH = PATH
  reap(procs)
  await server.stop()
  await llm.stop()
})

test("git missing: a prompt whose tool writes a file works and the session is settled", async () => {
  const c = server.client
  const id = (await c.session.create({ body: {} })).data!.id
  llm.enqueue({ toolCalls: [{ name: "write", args: { filePath: path.join(dir, "b.txt"), content: "two\n" } }] }, { text: "wrote it" })
  const res = await c.session.prompt({ path: { id }, body: text("write b") })
  expect(res.response.status).toBe(200)
  expect((res.data!.info as any).error).toBeUndefined()
  expect(res.data!.parts.find((p) => p.type === "text")).toMatchObject({ text: "wrote it" })
  expect(fs.readFileSync(path.join(dir, "b.txt"), "utf8")).toBe("two\n")
  await assertSettled(c, id)
  expect((await server.fetch("/vcs")).status).toBe(200)
})

test("git missing: `opencode serve` says at start what is off", async () => {
  const p = await spawnServe([...FROM_SOURCE, "serve", "--port", "0"], { env: { PATH: bin } })
  procs.push(p)
  await p.waitOutput(GIT_MISSING)
  expect(p.stderr()).toContain("git was not found on PATH")
  // With git, no such warning.
  const withGit = await spawnServe([...FROM_SOURCE, "serve", "--port", "0"], { env: { PATH } })
  procs.push(withGit)
  await Bun.sleep(300)
  expect(withGit.stderr()).not.toContain("git was not found")
}, 30_000)
