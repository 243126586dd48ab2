import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import type { Agent } from "@opencode-ai/sdk"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir, tmpTree } from "../helpers/tmp"
import { getInstance } from "../../src/project/instance"
import { defaultAgent } from "../../src/agent/agent"

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.stop()
})

const project = (files: Record<string, string>) => tmpTree(files)

async function agents(dir: string): Promise<Agent[]> {
  const res = await server.sdk(dir).app.agents()
  expect(res.response.status).toBe(200)
  return res.data!
}
const byName = (list: Agent[], name: string) => list.find((a) => a.name === name)

describe("GET /agent", () => {
  test("built-ins: build and plan are primary, general is a subagent; plan cannot edit and asks before most commands", async () => {
    const list = await agents(tmpdir())
    expect(list.map((a) => a.name)).toEqual(expect.arrayContaining(["build", "plan", "general"]))
    const build = byName(list, "build")!
    expect(build).toMatchObject({ mode: "primary", builtIn: true, permission: { edit: "allow" } })
    expect(build.permission.bash["*"]).toBe("allow")
    const plan = byName(list, "plan")!
    expect(plan.mode).toBe("primary")
    expect(plan.permission.edit).toBe("deny")
    expect(plan.permission.bash["*"]).toBe("ask")
    for (const cmd of ["git diff*", "git log*", "ls*", "grep*"]) expect(plan.permission.bash[cmd]).toBe("allow")
    expect(plan.prompt).toContain("plan")
    const general = byName(list, "general")!
    expect(general.mode).toBe("subagent")
    expect(general.tools.todowrite).toBe(false)
  })

  test(".opencode/agent/*.md: frontmatter fields plus the body as prompt; nested and plural folders too", async () => {
    const dir = project({
      ".opencode/agent/review.md": [
        "---",
        "description: Reviews code for bugs",
        "mode: subagent",
        "model: anthropic/claude-sonnet-4",
        "temperature: 0.1",
        "tools:",
        "  write: false",
        "  edit: false",
        "permission:",
        "  edit: deny",
        "  bash:",
        '    "git *": allow',
        "---",
        "You review code. Point at real bugs only.",
      ].join("\n"),
      ".opencode/agents/team/docs.md": "---\ndescription: Writes docs\n---\nWrite clear docs.\n",
      ".opencode/agent/plain.md": "Just a prompt, no frontmatter.",
    })
    const list = await agents(dir)
    const review = byName(list, "review")!
    expect(review).toMatchObject({
      description: "Reviews code for bugs",
      mode: "subagent",
      builtIn: false,
      model: { providerID: "anthropic", modelID: "claude-sonnet-4" },
      temperature: 0.1,
      prompt: "You review code. Point at real bugs only.",
    })
    expect(review.tools).toMatchObject({ write: false, edit: false })
    expect(review.permission.edit).toBe("deny")
    expect(review.permission.bash["git *"]).toBe("allow")
    expect(byName(list, "team/docs")).toMatchObject({ description: "Writes docs", prompt: "Write clear docs.", mode: "all" })
    expect(byName(list, "plain")!.prompt).toBe("Just a prompt, no frontmatter.")
  })

  test("config agent entries merge over built-ins; disable removes one; unknown keys become options", async () => {
    const dir = project({
      "opencode.json": JSON.stringify({
        agent: {
          plan: { temperature: 0.3, model: "openai/gpt-5" },
          general: { disable: true },
          helper: { description: "helps", mode: "primary", reasoningEffort: "high", maxSteps: 5 },
        },
      }),
    })
    const list = await agents(dir)
    expect(byName(list, "general")).toBeUndefined()
    const plan = byName(list, "plan")!
    expect(plan).toMatchObject({ builtIn: true, temperature: 0.3, model: { providerID: "openai", modelID: "gpt-5" } })
    expect(plan.permission.edit).toBe("deny")
    expect(byName(list, "helper")).toMatchObject({ builtIn: false, mode: "primary", maxSteps: 5, options: { reasoningEffort: "high" } })
  })

  test("a markdown agent with broken frontmatter is reported and left out; the rest still load", async () => {
    const dir = project({
      ".opencode/agent/good.md": "---\ndescription: fine\n---\nok",
      ".opencode/agent/broken.md": "---\ndescription: [unclosed\n---\nbody",
      ".opencode/agent/wrong.md": "---\ntemperature: warm\n---\nbody",
    })
    const list = await agents(dir)
    expect(byName(list, "good")!.description).toBe("fine")
    expect(byName(list, "broken")).toBeUndefined()
    expect(byName(list, "wrong")).toBeUndefined()
    const { configErrors } = await import("../../src/config/config")
    const errors = configErrors(await getInstance(dir)).map((e) => e.message)
    expect(errors.some((m) => m.includes("broken.md") && m.includes("frontmatter"))).toBe(true)
    expect(errors.some((m) => m.includes("wrong.md") && m.includes("agent.wrong.temperature"))).toBe(true)
  })
})

describe("default agent", () => {
  test("build unless default_agent names another primary agent; a subagent is not accepted", async () => {
    expect((await defaultAgent(await getInstance(tmpdir()))).name).toBe("build")
    const planDir = project({ "opencode.json": JSON.stringify({ default_agent: "plan" }) })
    expect((await defaultAgent(await getInstance(planDir))).name).toBe("plan")
    const subDir = project({ "opencode.json": JSON.stringify({ default_agent: "general" }) })
    expect((await defaultAgent(await getInstance(subDir))).name).toBe("build")
    const noBuild = project({ "opencode.json": JSON.stringify({ agent: { build: { disable: true } } }) })
    expect((await defaultAgent(await getInstance(noBuild))).name).toBe("plan")
  })
})

describe("agent config keys", () => {
  test("hidden, steps and variant configure the agent; only unknown keys become provider options", async () => {
    const dir = project({
      "opencode.json": JSON.stringify({ agent: { helper: { mode: "subagent", hidden: true, steps: 7, variant: "high", reasoningEffort: "low" } } }),
    })
    const helper = byName(await agents(dir), "helper") as Agent & { hidden?: boolean }
    expect(helper.hidden).toBe(true)
    expect(helper.maxSteps).toBe(7)
    expect(helper.options).toEqual({ reasoningEffort: "low" })
  })
})
