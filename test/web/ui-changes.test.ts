// Journey: the agent asks to edit a file, the person allows it in place, sees the diff, reverts
// the change and restores it. Also: a permission raised before the page was opened.
import { test, expect, beforeAll, afterAll, describe } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startWebFixture, noBrowser, waitReady, shot, type WebFixture } from "../helpers/browser"
import { sel, sendPrompt, waitForText, count } from "./ui-steps"

const skip = noBrowser("web ui change journeys")
let fx: WebFixture

beforeAll(async () => {
  if (skip) return
  fx = await startWebFixture({
    config: { permission: { edit: "ask", bash: "ask" } },
    files: { "notes.md": "# Notes\nold line\n", "src/keep.ts": "export {}\n" },
  })
  for (const args of [
    ["init", "-q"],
    ["add", "."],
    ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init"],
  ])
    expect(Bun.spawnSync(["git", ...args], { cwd: fx.directory }).exitCode).toBe(0)
}, 180_000)
afterAll(() => fx?.stop())

const write = (content: string) => ({ toolCalls: [{ name: "write", args: { filePath: "notes.md", content } }] })

describe.skipIf(skip)("changes", () => {
  test("allow once in place, see the coloured diff, revert and restore", async () => {
    const file = path.join(fx.directory, "notes.md")
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    fx.llm.enqueue(write("# Notes\nnew line\n"), { text: "Updated the notes." })
    await sendPrompt(page, "update the notes")
    const card = await page.waitForSelector(sel.permission, { timeout: 15_000 })
    expect(await card!.evaluate((e) => (e as HTMLElement).innerText)).toContain("notes.md")
    expect(await page.$eval("[data-testid=tool-part]", (e) => e.getAttribute("data-tool"))).toBe("write")
    await shot(page, "ui-permission")
    expect(fs.readFileSync(file, "utf8")).toContain("old line")
    await page.click("[data-testid=permission-once]")
    await waitForText(page, sel.assistant, "Updated the notes.")
    expect(await count(page, sel.permission)).toBe(0)
    expect(fs.readFileSync(file, "utf8")).toContain("new line")
    expect(await page.$eval("[data-testid=tool-part][data-tool=write]", (e) => e.getAttribute("data-status"))).toBe("completed")

    await page.click("[data-testid=tab-changes]")
    const diff = await page.waitForSelector("[data-testid=diff-file]", { timeout: 10_000 })
    expect(await diff!.evaluate((e) => (e as HTMLElement).innerText)).toContain("notes.md")
    expect(await page.$$eval("[data-testid=diff-file] .add", (els) => els.map((e) => e.textContent))).toContain("+new line")
    expect(await page.$$eval("[data-testid=diff-file] .del", (els) => els.map((e) => e.textContent))).toContain("-old line")
    await shot(page, "ui-diff")

    await page.click(`${sel.user} [data-testid=revert]`)
    await page.waitForSelector("[data-testid=reverted]", { timeout: 10_000 })
    expect(fs.readFileSync(file, "utf8")).toContain("old line")
    // The reverted conversation is hidden, and so is its diff.
    expect(await count(page, sel.user)).toBe(0)
    await page.waitForFunction(() => !document.querySelector("[data-testid=diff-file]"))
    await shot(page, "ui-reverted")

    await page.click("[data-testid=unrevert]")
    await waitForText(page, sel.assistant, "Updated the notes.")
    expect(fs.readFileSync(file, "utf8")).toContain("new line")
    await page.waitForSelector("[data-testid=diff-file]")
    await page.close()
  })

  test("reject fails the tool call and ends the reply; a request raised before the page opened is shown and answerable", async () => {
    const sessionID = (await fx.client.session.create({ body: {} })).data!.id
    // Rejecting ends the reply as in opencode: no model call follows, so no second step is scripted.
    fx.llm.enqueue({ toolCalls: [{ name: "bash", args: { command: "echo hi > made.txt", description: "Make a file" } }] })
    await fx.client.session.promptAsync({ path: { id: sessionID }, body: { parts: [{ type: "text", text: "make a file" }] } })
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline && !(await fetchPermissions()).length) await Bun.sleep(100)
    expect((await fetchPermissions()).length).toBe(1)
    const calls = fx.llm.requests.length

    const page = await fx.page()
    await page.goto(`${fx.base}/#/s/${sessionID}`)
    await waitReady(page)
    const card = await page.waitForSelector(sel.permission)
    expect(await card!.evaluate((e) => (e as HTMLElement).innerText)).toContain("echo hi")
    await page.click("[data-testid=permission-reject]")
    await page.waitForFunction(() => document.querySelector("[data-testid=tool-part][data-tool=bash]")?.getAttribute("data-status") === "error")
    await page.waitForFunction(() => !document.querySelector("[data-testid=stop]"))
    expect(fx.llm.requests.length).toBe(calls)
    expect(fs.existsSync(path.join(fx.directory, "made.txt"))).toBe(false)
    await page.close()
  })
})

describe.skipIf(skip)("subagents", () => {
  test("a subagent's permission request shows in its parent's conversation", async () => {
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    await page.click("[data-testid=new-session]")
    await page.waitForFunction(() => !document.querySelector("[data-testid=message-user]"))
    fx.llm.enqueue(
      { toolCalls: [{ name: "task", args: { description: "Make a marker", prompt: "Create sub.txt", subagent_type: "general" } }] },
      { toolCalls: [{ name: "bash", args: { command: "echo sub > sub.txt", description: "Write the marker" } }] },
      { text: "Marker written." },
      { text: "The subagent wrote the marker." },
    )
    await sendPrompt(page, "delegate it")
    const card = await page.waitForSelector(sel.permission, { timeout: 20_000 })
    expect(await card!.evaluate((e) => (e as HTMLElement).innerText)).toContain("echo sub")
    await page.click("[data-testid=permission-once]")
    await waitForText(page, sel.assistant, "The subagent wrote the marker.", 20_000)
    expect(fs.readFileSync(path.join(fx.directory, "sub.txt"), "utf8")).toBe("sub\n")
    await page.close()
  })
})

describe.skipIf(skip)("files", () => {
  test("the file tree marks what git sees changed, and the viewer shows a file and its diff", async () => {
    fs.writeFileSync(path.join(fx.directory, "notes.md"), "# Notes\nedited outside\n")
    fs.writeFileSync(path.join(fx.directory, "brand-new.txt"), "hello\n")
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    await page.click("[data-testid=tab-files]")
    const mark = (p: string) => page.$eval(`[data-testid=tree-item][data-path="${p}"]`, (e) => e.querySelector(".git")?.textContent ?? "")
    await page.waitForSelector("[data-testid=tree-item][data-path='notes.md'] .git")
    expect(await mark("notes.md")).toBe("M")
    expect(await mark("brand-new.txt")).toBe("A")
    expect(await mark("src")).toBe("")
    await page.click("[data-testid=tree-item][data-path='notes.md']")
    const viewer = await page.waitForSelector("[data-testid=file-viewer]")
    expect(await viewer!.evaluate((e) => (e as HTMLElement).innerText)).toContain("edited outside")
    const diffButton = await page.waitForSelector("[data-testid=file-viewer] button:last-of-type")
    expect(await diffButton!.evaluate((e) => e.textContent)).toBe("Diff")
    await diffButton!.click()
    expect(await page.$$eval("[data-testid=file-viewer] .add", (els) => els.map((e) => e.textContent))).toContain("+edited outside")
    await shot(page, "ui-files")
    await page.close()
  })
})

async function fetchPermissions(): Promise<unknown[]> {
  const r = await fetch(`${fx.base}/permission?directory=${encodeURIComponent(fx.directory)}`)
  return r.json()
}
