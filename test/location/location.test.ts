import { afterAll, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk/v2"
import { startTestServer, type TestServer } from "../helpers/server"
import { gitRepo, tmpdir } from "../helpers/tmp"

// The v2 location routes the 1.18 TUI uses: where a request acts, and the fuzzy file finder
// behind its "@" completion.

let server: TestServer
let repo: string
let client: ReturnType<typeof createOpencodeClient>

beforeAll(async () => {
  repo = await gitRepo({ "src/app/main.ts": "x\n", "src/app/util.ts": "y\n", "docs/guide.md": "z\n", "README.md": "r\n" })
  server = await startTestServer({ directory: repo })
  client = createOpencodeClient({ baseUrl: server.base, directory: repo })
})
afterAll(() => server.stop())

test("location: the directory and its project", async () => {
  const r = await client.v2.location.get()
  expect(r.response.status).toBe(200)
  const project = (await server.client.project.current()).data!
  expect(r.data).toEqual({ directory: repo, project: { id: project.id, directory: repo } })

  const other = tmpdir("loc-")
  const o = await server.fetch(`/api/location?location[directory]=${encodeURIComponent(other)}`)
  expect(await o.json()).toEqual({ directory: other, project: { id: "global", directory: "/" } })
})

test("fs.find: fuzzy files and directories with their type, relative to the location", async () => {
  const r = await client.v2.fs.find({ query: "main" })
  expect(r.response.status).toBe(200)
  expect(r.data!.location.directory).toBe(repo)
  expect(r.data!.data[0]).toEqual({ path: "src/app/main.ts", type: "file" })

  const dirs = (await client.v2.fs.find({ query: "app", type: "directory" })).data!.data
  expect(dirs[0]).toEqual({ path: "src/app/", type: "directory" })
  expect(dirs.every((e) => e.type === "directory" && e.path.endsWith("/"))).toBe(true)

  const limited = (await client.v2.fs.find({ query: "", limit: "2" })).data!.data
  expect(limited).toHaveLength(2)

  // A file created after start-up is found too.
  fs.writeFileSync(path.join(repo, "docs/fresh-notes.md"), "new\n")
  let found: unknown[] = []
  for (let i = 0; i < 50 && found.length === 0; i++) {
    found = (await client.v2.fs.find({ query: "fresh-notes" })).data!.data
    if (!found.length) await Bun.sleep(50)
  }
  expect(found[0]).toEqual({ path: "docs/fresh-notes.md", type: "file" })
})

test("bad input: a 400 naming what is wrong", async () => {
  const noQuery = await server.fetch("/api/fs/find")
  expect(noQuery.status).toBe(400)
  expect(await noQuery.text()).toContain("query")
  const badLimit = await server.fetch("/api/fs/find?query=a&limit=zero")
  expect(badLimit.status).toBe(400)
  expect(await badLimit.text()).toContain("limit")
  const gone = await server.fetch(`/api/location?location[directory]=${encodeURIComponent("/no/such/dir")}`)
  expect(gone.status).toBe(400)
  expect(await gone.text()).toContain("/no/such/dir")
  const workspace = await server.fetch("/api/location?location[workspace]=wrk_1")
  expect(workspace.status).toBe(404)
  expect(await workspace.text()).toContain("wrk_1")
})
