import { test, expect } from "bun:test"
import path from "node:path"
import { startHarness } from "../helpers/harness"

const CLI = path.resolve(import.meta.dir, "../../node_modules/opencode-ai/bin/opencode.exe")

// The real opencode 1.18 CLI as a client: it creates a session (sending a permission array),
// reads /config, subscribes to /event, posts the prompt, and prints the reply's parts.
test("opencode run --attach gets the model's answer through our server", async () => {
  const h = await startHarness()
  try {
    h.llm.enqueue({ text: "Looking around.", toolCalls: [{ name: "list", args: {} }] }, { text: "Hi from the mock model" })
    const proc = Bun.spawn([CLI, "run", "--attach", h.server.base, "--format", "json", "say hi"], {
      cwd: h.server.directory,
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    })
    const timer = setTimeout(() => proc.kill("SIGKILL"), 25_000)
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    clearTimeout(timer)
    expect({ code, err }).toEqual({ code: 0, err: "" })
    const lines = out.trim().split("\n").map((l) => JSON.parse(l))
    // Everything up to the reply's last part is printed: the CLI exits once its prompt is answered.
    expect(lines.map((l) => l.type)).toEqual(["step_start", "text", "tool_use", "step_finish", "step_start", "text", "step_finish"])
    const textEvent = lines.filter((l) => l.type === "text").at(-1)
    expect(textEvent.part.text).toBe("Hi from the mock model")
    expect(lines[2].part).toMatchObject({ tool: "list", state: { status: "completed" } })

    // It used our session, in the server's directory, and the model saw the prompt.
    const sessions = (await h.server.client.session.list()).data!
    expect(sessions.map((s) => s.id)).toContain(textEvent.sessionID)
    expect(JSON.stringify(h.llm.requests.at(-2).messages.at(-1))).toContain("say hi")
  } finally {
    await h.server.stop()
    await h.llm.stop()
  }
}, 30_000)
