import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { tmpdir } from "../helpers/tmp"
import { alive, until } from "../helpers/wait"
import { toolContext } from "./harness"
import { bashTool } from "../../src/tool/bash"
import { PermissionDeniedError, ToolError } from "../../src/tool/tool"

/** The pid the command wrote into `file`, once it is there. */
async function waitForPid(file: string) {
  const text = await until(() => fs.existsSync(file) && fs.readFileSync(file, "utf8").trim(), 3000, `a pid in ${path.basename(file)}`)
  return Number(text)
}

// A command whose shell and child both ignore SIGTERM, so only a SIGKILL of the group ends it.
const STUBBORN = "trap '' TERM; sleep 30 & echo $! > child.pid; echo started; wait"

describe("bash", () => {
  test("runs in the project directory and reports the exit code", async () => {
    const dir = tmpdir("bash-")
    const { ctx, asks } = await toolContext(dir)
    const r = await bashTool.execute({ command: "pwd; echo oops >&2", description: "Show directory" }, ctx)
    expect(r.output).toContain(dir)
    expect(r.output).toContain("oops")
    expect(r.output).toEndWith("Exit code: 0")
    expect(r.metadata).toMatchObject({ exit: 0, description: "Show directory" })
    expect(asks).toEqual([expect.objectContaining({ type: "bash", pattern: "pwd; echo oops >&2" })])

    const failed = await bashTool.execute({ command: "echo partial; exit 3" }, ctx)
    expect(failed.metadata?.exit).toBe(3)
    expect(failed.output).toContain("partial")
    expect(failed.output).toContain("Exit code: 3")
  })

  test("the server's password never reaches the command", async () => {
    const { ctx } = await toolContext(tmpdir("bash-"))
    process.env.OPENCODE_SERVER_PASSWORD = "hunter2-secret"
    try {
      const r = await bashTool.execute({ command: "env" }, ctx)
      expect(r.output).toContain("PAGER=cat")
      expect(r.output).not.toContain("hunter2-secret")
    } finally {
      delete process.env.OPENCODE_SERVER_PASSWORD
    }
  })

  test("a refused bash permission runs nothing", async () => {
    const dir = tmpdir("bash-")
    const { ctx } = await toolContext(dir, { deny: ["bash"] })
    await expect(bashTool.execute({ command: "touch ran" }, ctx)).rejects.toThrow(PermissionDeniedError)
    expect(fs.existsSync(path.join(dir, "ran"))).toBe(false)
  })

  test("workdir runs elsewhere; outside the project it needs permission", async () => {
    const dir = tmpdir("bash-")
    fs.mkdirSync(path.join(dir, "sub"))
    const outside = tmpdir("bash-out-")
    const { ctx, asks } = await toolContext(dir)
    const r = await bashTool.execute({ command: "pwd", workdir: "sub" }, ctx)
    expect(r.output).toContain(path.join(dir, "sub"))
    await expect(bashTool.execute({ command: "touch ran", workdir: outside }, ctx)).rejects.toThrow(PermissionDeniedError)
    expect(asks.at(-1)).toMatchObject({ type: "external_directory", pattern: path.join(outside, "*") })
    expect(fs.existsSync(path.join(outside, "ran"))).toBe(false)
    await expect(bashTool.execute({ command: "pwd", workdir: "missing" }, ctx)).rejects.toThrow(/not an existing directory/)
  })

  test("a timeout kills the whole process group within a second", async () => {
    const dir = tmpdir("bash-")
    const { ctx } = await toolContext(dir)
    const started = performance.now()
    const r = await bashTool.execute({ command: STUBBORN, timeout: 300 }, ctx)
    const elapsed = performance.now() - started
    expect(elapsed).toBeLessThan(300 + 1000)
    expect(r.output).toContain("started")
    expect(r.output).toContain("timed out after 0.3 s")
    expect(r.metadata?.stopped).toBe("timeout")
    const child = await waitForPid(path.join(dir, "child.pid"))
    await until(() => !alive(child), 1000, "the ignored-SIGTERM child to be killed")
  })

  test("abort kills the command and everything it started within a second", async () => {
    const dir = tmpdir("bash-")
    const { ctx, controller } = await toolContext(dir)
    const running = bashTool.execute({ command: STUBBORN }, ctx).catch((e) => e)
    const child = await waitForPid(path.join(dir, "child.pid"))
    expect(alive(child)).toBe(true)
    const aborted = performance.now()
    controller.abort()
    const err = await running
    expect(performance.now() - aborted).toBeLessThan(1000)
    expect(err).toBeInstanceOf(ToolError)
    expect(err.message).toContain("aborted")
    expect(err.message).toContain("started")
    await until(() => !alive(child), 1000, "the ignored-SIGTERM child to be killed")
  })

  test("huge output keeps its head and tail and says what was cut", async () => {
    const { ctx } = await toolContext(tmpdir("bash-"))
    const r = await bashTool.execute({ command: "seq 1 200000" }, ctx)
    expect(r.output.length).toBeLessThan(31_000 + 500)
    expect(r.output).toStartWith("1\n2\n3\n")
    expect(r.output).toContain("199999\n200000\n")
    expect(r.output).toMatch(/\[\.\.\. \d+ characters \(about \d+ lines\) omitted/)
    expect(r.metadata?.truncated).toBe(true)
    // Every kept line is whole: the line before the marker and the one after it are numbers.
    const [head, tail] = r.output.split(/\n\[\.\.\..*\.\.\.\]\n\n/)
    expect(head.trimEnd().split("\n").at(-1)).toMatch(/^\d+$/)
    expect(tail.split("\n")[0]).toMatch(/^\d+$/)
    expect(Number(tail.split("\n")[0])).toBe(Number(head.trimEnd().split("\n").at(-1)) + Number(/about (\d+) lines/.exec(r.output)![1]) + 1)
  })

  test("streams output into the running part's metadata before finishing", async () => {
    const { ctx, updates } = await toolContext(tmpdir("bash-"))
    await bashTool.execute({ command: "echo first; sleep 0.4; echo second", description: "Two steps" }, ctx)
    const outputs = updates.map((u) => String(u.metadata?.output ?? ""))
    expect(outputs.some((o) => o.includes("first") && !o.includes("second"))).toBe(true)
    expect(outputs.at(-1)).toContain("second")
    expect(updates.every((u) => u.title === "Two steps")).toBe(true)
  })
})
