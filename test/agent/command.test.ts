import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir, tmpTree } from "../helpers/tmp"

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.stop()
})

const project = (files: Record<string, string>) => tmpTree(files)

describe("GET /command", () => {
  test("built-in init asks for AGENTS.md", async () => {
    const res = await server.sdk(tmpdir()).command.list()
    expect(res.response.status).toBe(200)
    const init = res.data!.find((c) => c.name === "init")!
    expect(init.template).toContain("AGENTS.md")
    expect(init.template).toContain("$ARGUMENTS")
    expect(init.description).toBeTruthy()
  })

  test("config entries and .opencode/command/*.md (singular and plural folders)", async () => {
    const dir = project({
      "opencode.json": JSON.stringify({
        command: { test: { template: "Run the tests for $1 and fix failures in $2", description: "run tests", agent: "build", model: "openai/gpt-5" } },
      }),
      ".opencode/command/review.md": "---\ndescription: Review the diff\nagent: plan\nsubtask: true\nmodel: anthropic/claude-sonnet-4\n---\nReview `git diff` for $ARGUMENTS.\n",
      ".opencode/commands/deploy/staging.md": "Deploy to staging.",
    })
    const list = (await server.sdk(dir).command.list()).data!
    const get = (name: string) => list.find((c) => c.name === name)
    expect(get("init")).toBeDefined()
    expect(get("test")).toMatchObject({ template: "Run the tests for $1 and fix failures in $2", description: "run tests", agent: "build", model: "openai/gpt-5" })
    expect((get("test") as any).hints).toEqual(["$1", "$2"])
    expect(get("review")).toMatchObject({
      description: "Review the diff",
      agent: "plan",
      subtask: true,
      model: "anthropic/claude-sonnet-4",
      template: "Review `git diff` for $ARGUMENTS.",
    })
    expect(get("deploy/staging")).toMatchObject({ template: "Deploy to staging." })
  })

  test("a project command can replace the built-in init", async () => {
    const dir = project({ ".opencode/command/init.md": "---\ndescription: ours\n---\nOur own init." })
    const list = (await server.sdk(dir).command.list()).data!
    expect(list.filter((c) => c.name === "init")).toEqual([expect.objectContaining({ description: "ours", template: "Our own init." })])
  })
})
