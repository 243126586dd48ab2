import { afterAll, beforeAll, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startMockLLM, mockProviderConfig, type MockLLM } from "../helpers/mock-llm"
import { startTestServer, type TestServer } from "../helpers/server"
import { tmpdir } from "../helpers/tmp"

// The real opencode 1.18 TUI (`opencode attach <url>`) driven in a detached tmux pane: it
// boots against our server (agents, config, providers, sessions, event stream...), takes a
// prompt, renders the streamed answer and a tool call, and switches between sessions.

const CLI = path.resolve(import.meta.dir, "../../node_modules/opencode-ai/bin/opencode.exe")
const tmux = Bun.which("tmux")
const skip = !tmux ? "tmux is not installed" : !fs.existsSync(CLI) ? `the opencode CLI is missing at ${CLI}` : undefined
if (skip) console.log(`skipping the TUI attach test: ${skip}`)

// A private tmux server, so the test never touches the developer's own sessions.
const socket = `ocb-tui-${process.pid}`
const pane = "tui"

let llm: MockLLM
let server: TestServer

function tm(...args: string[]) {
  const r = Bun.spawnSync([tmux!, "-L", socket, ...args], { stdout: "pipe", stderr: "pipe" })
  if (r.exitCode !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr.toString()}`)
  return r.stdout.toString()
}

const screen = () => tm("capture-pane", "-p", "-t", pane)

async function waitForScreen(what: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  while (true) {
    const s = screen()
    if (typeof what === "string" ? s.includes(what) : what.test(s)) return s
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} on the TUI screen:\n${s}`)
    await Bun.sleep(100)
  }
}

async function type(text: string) {
  tm("send-keys", "-t", pane, "-l", text)
  // The prompt's autocomplete reacts to typing; give it a frame before Enter.
  await Bun.sleep(150)
  tm("send-keys", "-t", pane, "Enter")
}

beforeAll(async () => {
  if (skip) return
  llm = await startMockLLM()
  const directory = tmpdir("tui-")
  // No title generation: every scripted reply goes to the conversation.
  const config = mockProviderConfig(llm.url, { extra: { agent: { title: { disable: true } } } })
  fs.writeFileSync(path.join(directory, "opencode.json"), JSON.stringify(config, null, 2))
  server = await startTestServer({ directory })
  const home = tmpdir("tui-home-")
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local/share"),
    XDG_STATE_HOME: path.join(home, ".local/state"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
  }
  const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`])
  tm("new-session", "-d", "-s", pane, "-x", "160", "-y", "45", "-c", directory, ...envArgs, CLI, "attach", server.base)
})

afterAll(async () => {
  if (skip) return
  try {
    tm("kill-server")
  } catch {}
  await server?.stop()
  await llm?.stop()
})

test.skipIf(!!skip)(
  "opencode attach: home screen, a streamed answer with a tool call, and switching sessions",
  async () => {
    // Booted: the prompt box with the configured model shows only once every bootstrap call succeeded.
    await waitForScreen(/Ask anything[\s\S]*Mock Model/, 15_000)

    llm.enqueue(
      { toolCalls: [{ name: "bash", args: { command: "echo tui-tool-output", description: "Print a marker" } }] },
      { text: "The first answer came back from the mock model", chunks: 4, delay: 20 },
    )
    await type("please run the marker command")
    let s = await waitForScreen("The first answer came back from the mock model")
    expect(s).toContain("$ echo tui-tool-output")
    // The tool's output, on a line of its own under the command.
    expect(s).toMatch(/┃\s+tui-tool-output\s/)
    expect(JSON.stringify(llm.requests[0].messages.at(-1))).toContain("please run the marker command")
    // The model got the tool's output back on its second call.
    expect(JSON.stringify(llm.requests[1].messages)).toContain("tui-tool-output")

    // A second session (leader key ctrl+x, then n), then back to the first one through the session list.
    tm("send-keys", "-t", pane, "C-x")
    tm("send-keys", "-t", pane, "n")
    await waitForScreen("Ask anything")
    llm.enqueue({ text: "Second session answer" })
    await type("hello from the second session")
    s = await waitForScreen("Second session answer")
    expect(s).not.toContain("The first answer came back")
    expect(JSON.stringify(llm.requests[2].messages)).not.toContain("please run the marker command")

    const sessions = (await server.client.session.list()).data!
    expect(sessions).toHaveLength(2)
    tm("send-keys", "-t", pane, "C-x")
    tm("send-keys", "-t", pane, "l")
    await waitForScreen("Sessions")
    // The list is newest first: the first session is one row down.
    tm("send-keys", "-t", pane, "Down")
    await Bun.sleep(150)
    tm("send-keys", "-t", pane, "Enter")
    s = await waitForScreen("The first answer came back from the mock model")
    expect(s).toContain("please run the marker command")
    expect(s).not.toContain("Second session answer")
  },
  30_000,
)
