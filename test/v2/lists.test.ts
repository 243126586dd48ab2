import { afterAll, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk/v2"
import { startTestServer, type TestServer } from "../helpers/server"
import { sseReader } from "../helpers/sse"
import { gitIn, gitRepo, tmpdir } from "../helpers/tmp"
import { specProblems } from "./spec-check"

// The v2 lists an opencode 1.18 client loads for a location: agents, commands, skills and
// config references, through the official v2 SDK client.

let server: TestServer
let repo: string
let client: ReturnType<typeof createOpencodeClient>
let mirror: string
const home = process.env.OPENCODE_TEST_HOME!
const globalDir = process.env.OPENCODE_CONFIG_DIR!

beforeAll(async () => {
  // A "GitHub" served from disk: shorthand references clone from it.
  mirror = tmpdir("v2-mirror-")
  const src = await gitRepo({ "lib.md": "widgets\n" })
  await gitIn(mirror, "clone", "--bare", "--quiet", src, path.join(mirror, "acme", "widgets.git"))
  process.env.OPENCODE_REPO_CLONE_GITHUB_BASE_URL = `file://${mirror}/`

  repo = await gitRepo({ "README.md": "r\n", "docs/a.md": "a\n" })
  const config = {
    agent: {
      reviewer: {
        description: "Reviews diffs",
        mode: "subagent",
        prompt: "Review carefully.",
        model: "mock/some/model",
        temperature: 0.2,
        color: "#12ab34",
        maxSteps: 7,
        hidden: true,
        reasoningEffort: "high",
        permission: { bash: { "git *": "allow", "git push*": "deny" } },
        tools: { write: false },
      },
    },
    command: {
      ship: { template: "Ship $ARGUMENTS", description: "Release it", agent: "build", model: "mock/mock-model", subtask: true },
      loose: { template: "no model", model: "nomodel" },
    },
    references: {
      docs: "./docs",
      shared: { path: "../shared", description: "Shared code", hidden: true },
      notes: "~/notes",
      widgets: { repository: "acme/widgets", description: "Widget lib" },
      pinned: { repository: "acme/widgets", branch: "feature/x" },
      "bad name": "./x",
      "a/b": "./x",
      local_file_repo: "file:///tmp/nope",
      badbranch: { repository: "acme/widgets", branch: "-evil" },
    },
  }
  fs.writeFileSync(path.join(repo, "opencode.json"), JSON.stringify(config))
  // A nearer file adds one (relative to its own folder) and overrides another.
  fs.mkdirSync(path.join(repo, ".opencode"))
  fs.writeFileSync(path.join(repo, ".opencode", "opencode.json"), JSON.stringify({ references: { vendor: "../vendor", docs: "./docs-here" } }))
  // The older `reference` key, in the global config.
  fs.mkdirSync(globalDir, { recursive: true })
  fs.writeFileSync(path.join(globalDir, "opencode.json"), JSON.stringify({ reference: { global: "./snippets" } }))
  server = await startTestServer({ directory: repo })
  client = createOpencodeClient({ baseUrl: server.base, directory: repo })
})

afterAll(async () => {
  fs.rmSync(path.join(globalDir, "opencode.json"), { force: true })
  delete process.env.OPENCODE_REPO_CLONE_GITHUB_BASE_URL
  await server?.stop()
})

test("agents: built-ins and config agents, with model, request body and an ordered ruleset", async () => {
  const r = await client.v2.agent.list()
  expect(r.response.status).toBe(200)
  expect(r.data!.location.directory).toBe(repo)
  const agents = r.data!.data
  expect(agents.map((a) => a.id)).toEqual(expect.arrayContaining(["build", "plan", "general", "explore", "reviewer"]))

  const reviewer = agents.find((a) => a.id === "reviewer")!
  expect(reviewer).toMatchObject({
    description: "Reviews diffs",
    mode: "subagent",
    system: "Review carefully.",
    model: { id: "some/model", providerID: "mock" },
    color: "#12ab34",
    steps: 7,
    hidden: true,
    request: { headers: {}, body: { temperature: 0.2, reasoningEffort: "high" } },
  })
  expect(reviewer.request.body).not.toHaveProperty("hidden")
  // Last match wins: the longer bash pattern comes after the shorter, the disabled tool last.
  const rules = reviewer.permissions
  expect(rules[0]).toEqual({ action: "*", resource: "*", effect: "allow" })
  const bash = rules.filter((x) => x.action === "bash").map((x) => x.resource)
  expect(bash.indexOf("git *")).toBeLessThan(bash.indexOf("git push*"))
  expect(rules.find((x) => x.resource === "git push*")!.effect).toBe("deny")
  expect(rules.at(-1)).toEqual({ action: "edit", resource: "*", effect: "deny" })

  const build = agents.find((a) => a.id === "build")!
  expect(build).toMatchObject({ mode: "primary", hidden: false })
  expect(build.permissions).toContainEqual({ action: "edit", resource: "*", effect: "allow" })
  const plan = agents.find((a) => a.id === "plan")!
  expect(plan.permissions).toContainEqual({ action: "edit", resource: "*", effect: "deny" })
  expect(typeof plan.system).toBe("string")
})

test("commands: templates with a parsed model reference", async () => {
  const r = await client.v2.command.list()
  expect(r.response.status).toBe(200)
  const byName = Object.fromEntries(r.data!.data.map((c) => [c.name, c]))
  expect(byName.init!.template.length).toBeGreaterThan(20)
  expect(byName.ship).toEqual({
    name: "ship",
    template: "Ship $ARGUMENTS",
    description: "Release it",
    agent: "build",
    model: { id: "mock-model", providerID: "mock" },
    subtask: true,
  })
  expect(byName.loose).toEqual({ name: "loose", template: "no model" })
})

test("skills: none, since this server offers the model no skill tool", async () => {
  const r = await client.v2.skill.list()
  expect(r.response.status).toBe(200)
  expect(r.data).toEqual({ location: r.data!.location, data: [] })
  expect(r.data!.location.directory).toBe(repo)
})

test("references: local paths against their config file, git ones cloned under the data dir", async () => {
  const r = await client.v2.reference.list()
  expect(r.response.status).toBe(200)
  const refs = Object.fromEntries(r.data!.data.map((x) => [x.name, x]))
  expect(Object.keys(refs).sort()).toEqual(["docs", "global", "notes", "pinned", "shared", "vendor", "widgets"])

  expect(refs.docs).toEqual({ name: "docs", path: path.join(repo, ".opencode", "docs-here"), source: { type: "local", path: path.join(repo, ".opencode", "docs-here") } })
  expect(refs.vendor!.path).toBe(path.join(repo, "vendor"))
  expect(refs.shared).toEqual({
    name: "shared",
    path: path.resolve(repo, "../shared"),
    description: "Shared code",
    hidden: true,
    source: { type: "local", path: path.resolve(repo, "../shared"), description: "Shared code", hidden: true },
  })
  expect(refs.notes!.path).toBe(path.join(home, "notes"))
  expect(refs.global!.path).toBe(path.join(globalDir, "snippets"))

  const reposDir = path.join(process.env.OPENCODE_BUN_DATA_DIR!, "repos")
  expect(refs.widgets).toEqual({
    name: "widgets",
    path: path.join(reposDir, "github.com", "acme", "widgets"),
    description: "Widget lib",
    source: { type: "git", repository: "acme/widgets", description: "Widget lib" },
  })
  expect(refs.pinned!.path).toBe(path.join(reposDir, "github.com", "acme", "widgets@feature%2Fx"))

  // The clone appears in the background.
  const file = path.join(refs.widgets!.path, "lib.md")
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await Bun.sleep(50)
  expect(fs.readFileSync(file, "utf8")).toBe("widgets\n")
})

test("location: another directory answers for itself", async () => {
  const other = tmpdir("v2-other-")
  fs.writeFileSync(path.join(other, "opencode.json"), JSON.stringify({ references: { here: "./x" }, command: { only: { template: "t" } } }))
  const refs = await client.v2.reference.list({ location: { directory: other } })
  expect(refs.data!.location.directory).toBe(other)
  expect(refs.data!.data.map((x) => x.name).sort()).toEqual(["global", "here"])
  const cmds = await client.v2.command.list({ location: { directory: other } })
  expect(cmds.data!.data.map((c) => c.name)).toContain("only")
  expect(cmds.data!.data.map((c) => c.name)).not.toContain("ship")

  const gone = await server.fetch(`/api/agent?location[directory]=${encodeURIComponent("/no/such/dir")}`)
  expect(gone.status).toBe(400)
})

test("reference.updated is published when the references in config change", async () => {
  const res = await server.fetch(`/event?directory=${encodeURIComponent(repo)}`)
  const sse = sseReader(res)
  await sse.next((e) => e.data.type === "server.connected")
  const file = path.join(repo, ".opencode", "opencode.json")
  fs.writeFileSync(file, JSON.stringify({ references: { vendor: "../vendor", docs: "./docs-here", extra: "./extra" } }))
  // Config is re-read on use.
  await client.v2.agent.list()
  await sse.next((e) => e.data.type === "reference.updated")
  const names = (await client.v2.reference.list()).data!.data.map((x) => x.name)
  expect(names).toContain("extra")
  sse.cancel()
})

test("every answer fits the real server's published schema", async () => {
  expect(specProblems("v2.agent.list", (await client.v2.agent.list()).data)).toEqual([])
  expect(specProblems("v2.command.list", (await client.v2.command.list()).data)).toEqual([])
  expect(specProblems("v2.skill.list", (await client.v2.skill.list()).data)).toEqual([])
  expect(specProblems("v2.reference.list", (await client.v2.reference.list()).data)).toEqual([])
  // The checker itself catches a wrong shape.
  expect(specProblems("v2.command.list", { location: { directory: "/", project: { id: "x", directory: "/" } }, data: [{ name: "x", extra: 1 }] })).toEqual([
    "$.data[0]: missing template",
    "$.data[0]: unexpected extra",
  ])
})
