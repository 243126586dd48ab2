// Journey: the prompt's helpers — @file mentions with fuzzy completion, slash commands, `!`
// shell commands, agent picker — plus the todo panel and connecting a provider with a key.
import { test, expect, beforeAll, afterAll, describe } from "bun:test"
import { startWebFixture, noBrowser, waitReady, shot, type WebFixture } from "../helpers/browser"
import { sel, sendPrompt, waitForText } from "./ui-steps"
import type { Page } from "puppeteer-core"

const skip = noBrowser("web ui prompt tool journeys")
let fx: WebFixture
let page: Page

beforeAll(async () => {
  if (skip) return
  fx = await startWebFixture({
    config: { command: { greet: { template: "Say a warm hello to $ARGUMENTS", description: "Greets someone" } } },
    files: { "src/answer-module.ts": "export const answer = 42\n", "docs/guide.md": "# Guide\n" },
  })
  page = await fx.page()
  await page.goto(fx.base + "/")
  await waitReady(page)
}, 180_000)
afterAll(() => fx?.stop())

const lastRequest = () => JSON.stringify(fx.llm.requests.at(-1)?.messages ?? [])
const suggestions = () => page.$$eval("[data-testid=suggestions] [role=option]", (els) => els.map((e) => (e as HTMLElement).innerText))

describe.skipIf(skip)("prompt helpers", () => {
  test("@ completes a file fuzzily and attaches it", async () => {
    await page.click(sel.prompt)
    await page.type(sel.prompt, "explain @answmod")
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=suggestions] [role=option]").length > 0)
    expect((await suggestions())[0]).toBe("src/answer-module.ts")
    await page.keyboard.press("Enter")
    expect(await page.$eval(sel.prompt, (e) => (e as HTMLTextAreaElement).value)).toBe("explain @src/answer-module.ts ")
    fx.llm.enqueue({ text: "It exports 42." })
    await page.keyboard.press("Enter")
    await waitForText(page, sel.assistant, "It exports 42.")
    // The server read the mentioned file into the conversation.
    expect(lastRequest()).toContain("export const answer = 42")
    await waitForText(page, `${sel.user} [data-testid=attachment]`, "src/answer-module.ts")
  })

  test("/ lists commands; a chosen command runs with its arguments", async () => {
    await page.type(sel.prompt, "/gr")
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=suggestions] [role=option]").length > 0)
    expect((await suggestions())[0]).toContain("/greet")
    await page.keyboard.press("Tab")
    await page.type(sel.prompt, "the browser")
    fx.llm.enqueue({ text: "Hello, browser!" })
    await page.keyboard.press("Enter")
    await waitForText(page, sel.assistant, "Hello, browser!")
    expect(lastRequest()).toContain("Say a warm hello to the browser")
  })

  test("! runs a shell command and shows its output as a tool call", async () => {
    const calls = fx.llm.requests.length
    await sendPrompt(page, "!echo shell-said-$((6*7))")
    await waitForText(page, "[data-testid=tool-part][data-tool=bash]", "shell-said")
    const part = await page.waitForSelector("[data-testid=tool-part][data-tool=bash][data-status=completed]")
    await part!.evaluate((e) => ((e as HTMLDetailsElement).open = true))
    expect(await part!.evaluate((e) => (e as HTMLElement).innerText)).toContain("shell-said-42")
    expect(fx.llm.requests.length).toBe(calls)
  })

  test("the todo list follows the agent's todowrite", async () => {
    fx.llm.enqueue(
      {
        toolCalls: [
          {
            name: "todowrite",
            args: {
              todos: [
                { id: "a", content: "Read the guide", status: "completed", priority: "high" },
                { id: "b", content: "Write the summary", status: "in_progress", priority: "medium" },
              ],
            },
          },
        ],
      },
      { text: "Planned." },
    )
    await sendPrompt(page, "plan it")
    await waitForText(page, sel.assistant, "Planned.")
    await page.click("[data-testid=tab-todo]")
    await waitForText(page, "[data-testid=todos]", "Write the summary")
    expect(await page.$eval("[data-testid=todos]", (e) => (e as HTMLElement).innerText)).toContain("Read the guide")
    expect(await page.$eval("[data-testid=tab-todo] .count", (e) => e.textContent)).toBe("1")
    await shot(page, "ui-todo")
    await page.click("[data-testid=tab-todo]")
  })

  test("the agent picker decides which agent answers", async () => {
    const agents = await page.$$eval("[data-testid=agent-select] option", (els) => els.map((e) => (e as HTMLOptionElement).value))
    expect(agents).toContain("plan")
    expect(await page.$eval("[data-testid=model-select]", (e) => (e as HTMLSelectElement).value)).toBe("mock/mock-model")
    await page.select("[data-testid=agent-select]", "plan")
    fx.llm.enqueue({ text: "Planning only." })
    await sendPrompt(page, "what would you do?")
    await waitForText(page, sel.assistant, "Planning only.")
    const sessionID = await page.evaluate(() => /#\/s\/([^?]+)/.exec(location.hash)![1])
    const messages = (await fx.client.session.messages({ path: { id: sessionID } })).data!
    const user = messages.map((m) => m.info).findLast((m) => m.role === "user")!
    expect(user.role === "user" && user.agent).toBe("plan")
  })

  test("a provider is connected with an API key and then listed as connected", async () => {
    await page.click("[data-testid=open-providers]")
    await page.waitForSelector("[data-testid=providers]")
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=provider-id] option").length > 1)
    await page.select("[data-testid=provider-id]", "anthropic")
    await page.type("[data-testid=provider-key]", "sk-test-from-browser")
    await page.click("[data-testid=provider-connect]")
    await waitForText(page, "[data-testid=provider-item][data-connected]", "Anthropic")
    const list = await fetch(`${fx.base}/provider`).then((r) => r.json())
    expect(list.connected).toContain("anthropic")
    await shot(page, "ui-providers")
    await page.keyboard.press("Escape")
    await page.waitForFunction(() => !document.querySelector("[data-testid=providers]"))
  })
})

describe.skipIf(skip)("projects", () => {
  test("another project the server knows can be switched to, with its own sessions", async () => {
    const { tmpdir, writeTree } = await import("../helpers/tmp")
    const other = tmpdir("web-other-")
    writeTree(other, { "opencode.json": "{}", "other.txt": "x\n" })
    // A project is a git repository (directories outside git share one "global" project).
    for (const args of [
      ["init", "-q"],
      ["add", "."],
      ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init"],
    ])
      expect(Bun.spawnSync(["git", ...args], { cwd: other }).exitCode).toBe(0)
    const sdk = (await import("@opencode-ai/sdk")).createOpencodeClient({ baseUrl: fx.base, directory: other })
    await sdk.session.create({ body: { title: "Work in the other project" } })
    const fresh = await fx.page()
    await fresh.goto(fx.base + "/")
    await waitReady(fresh)
    const select = await fresh.waitForSelector("[data-testid=project-select]")
    expect(await select!.evaluate((e) => Array.from((e as HTMLSelectElement).options).map((o) => o.value))).toContain(other)
    await fresh.select("[data-testid=project-select]", other)
    await waitReady(fresh)
    await waitForText(fresh, "[data-testid=session-item]", "Work in the other project")
    expect(await fresh.evaluate(() => decodeURIComponent(location.hash))).toContain(other)
    await fresh.close()
  })
})

describe.skipIf(skip)("attachments and child sessions", () => {
  test("an attached file goes with the prompt", async () => {
    const { tmpdir } = await import("../helpers/tmp")
    const file = `${tmpdir("web-upload-")}/attached-notes.txt`
    await Bun.write(file, "attached-content-4711\n")
    const input = await page.$("[data-testid=attach-input]")
    await (input as any).uploadFile(file)
    await waitForText(page, "[aria-label=Attachments]", "attached-notes.txt")
    fx.llm.enqueue({ text: "Read your attachment." })
    await sendPrompt(page, "what is in the file?")
    await waitForText(page, sel.assistant, "Read your attachment.")
    expect(lastRequest()).toContain("attached-content-4711")
    await waitForText(page, `${sel.user} [data-testid=attachment]`, "attached-notes.txt")
    expect(await page.$("[aria-label=Attachments]")).toBeNull()
  })

  test("a child session is listed under its parent", async () => {
    const parentID = await page.evaluate(() => /#\/s\/([^?]+)/.exec(location.hash)![1])
    await fx.client.session.create({ body: { parentID, title: "Child investigation" } })
    await waitForText(page, "[data-testid=session-item]", "Child investigation")
    const nested = await page.$$eval("[data-testid=sidebar] .sessions .sessions [data-testid=session-item]", (els) =>
      els.map((e) => (e as HTMLElement).innerText),
    )
    expect(nested.some((t) => t.includes("Child investigation"))).toBe(true)
  })

  test("a subagent's task links to its child session", async () => {
    await page.select("[data-testid=agent-select]", "build")
    fx.llm.enqueue(
      { toolCalls: [{ name: "task", args: { description: "Count the files", prompt: "Count the files in src", subagent_type: "general" } }] },
      { text: "There is one file in src." },
      { text: "The subagent counted one file." },
    )
    await sendPrompt(page, "delegate the counting")
    await waitForText(page, sel.assistant, "The subagent counted one file.")
    const parent = await page.evaluate(() => location.hash)
    await page.click("[data-testid=tool-part][data-tool=task] summary")
    await page.click("[data-testid=open-subagent]")
    await page.waitForFunction((h: string) => location.hash !== h, {}, parent)
    await waitForText(page, sel.assistant, "There is one file in src.")
    expect((await page.$eval("[data-testid=session-title]", (e) => e.textContent)) ?? "").toContain("(child)")
    await page.click("[data-testid=to-parent]")
    await page.waitForFunction((h: string) => location.hash === h, {}, parent)
  })
})
