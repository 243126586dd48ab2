import { describe, expect, test } from "bun:test"
import { tmpdir } from "../helpers/tmp"
import { getInstance } from "../../src/project/instance"
import { builtinTools, listTools, toolEnabled } from "../../src/tool/registry"

const CORE = ["bash", "read", "glob", "grep", "list", "edit", "write", "todowrite", "todoread"]

describe("tool registry", () => {
  test("offers every core tool with a description and an object schema", () => {
    const tools = builtinTools()
    for (const id of CORE) expect(tools.map((t) => t.id)).toContain(id)
    expect(new Set(tools.map((t) => t.id)).size).toBe(tools.length)
    for (const tool of tools) {
      expect(tool.description.length).toBeGreaterThan(100)
      expect(tool.parameters.type).toBe("object")
      expect(JSON.parse(JSON.stringify(tool.parameters)).type).toBe("object")
    }
  })

  test("the agent's tools map switches tools off, wildcards included", async () => {
    const instance = await getInstance(tmpdir("reg-"))
    const ids = async (tools?: Record<string, boolean>) => (await listTools(instance, { agent: { name: "t", tools } })).map((t) => t.id)
    expect(await ids()).toEqual(expect.arrayContaining(CORE))
    expect(await ids({ bash: false })).not.toContain("bash")
    const noTodo = await ids({ "todo*": false })
    expect(noTodo.filter((id) => id.startsWith("todo"))).toEqual([])
    expect(noTodo).toEqual(expect.arrayContaining(CORE.filter((id) => !id.startsWith("todo"))))
    expect(await ids({ "*": false, read: true })).toEqual(["read"])
    expect(await ids({ edit: false, write: false })).not.toContain("write")
  })

  test("exact ids beat wildcards; the more specific wildcard wins", () => {
    expect(toolEnabled("mcp_github_search", { "mcp_*": false })).toBe(false)
    expect(toolEnabled("mcp_github_search", { "mcp_*": false, "mcp_github_*": true })).toBe(true)
    expect(toolEnabled("mcp_github_search", { mcp_github_search: true, "mcp_*": false })).toBe(true)
    expect(toolEnabled("bash", { "b?sh": false })).toBe(false)
    expect(toolEnabled("read", { "mcp_*": false })).toBe(true)
    expect(toolEnabled("read", undefined)).toBe(true)
  })
})
