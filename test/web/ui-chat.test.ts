// Journey: a person opens the app, types a prompt, watches the reply stream in, manages
// sessions, and stops a slow reply. Real Chromium against the compiled binary and the mock LLM.
import { test, expect, beforeAll, afterAll, describe } from "bun:test"
import { startWebFixture, noBrowser, waitReady, shot, consoleErrors, type WebFixture } from "../helpers/browser"
import { sel, sendPrompt, assistantTexts, waitForText, count, routeSession, words } from "./ui-steps"

const skip = noBrowser("web ui chat journeys")
let fx: WebFixture

beforeAll(async () => {
  if (skip) return
  fx = await startWebFixture({ files: { "src/app.ts": "export const answer = 42\n", "README.md": "# demo\n" } })
}, 180_000)
afterAll(() => fx?.stop())

describe.skipIf(skip)("chat", () => {
  test("opening / lands on a prompt for the server's own directory, and the first send creates the session", async () => {
    const page = await fx.page()
    const errors = consoleErrors(page)
    await page.goto(fx.base + "/")
    await waitReady(page)
    expect(await page.$eval(sel.prompt, (e) => document.activeElement === e || !!e)).toBe(true)
    expect((await fx.client.session.list()).data).toEqual([])

    const reply = `Here is **bold** text and code:\n\n\`\`\`ts\nconst x: number = 1\n\`\`\`\n\n<img src=x onerror="window.__pwned=1"> ${words(30)}`
    fx.llm.enqueue({ text: reply, reasoning: "Pondering how to greet", chunks: 40, delay: 40 })
    await sendPrompt(page, "Say hello")
    // Streamed: part of the reply is on screen before the message is complete.
    await page.waitForFunction(
      (s: string) => Array.from(document.querySelectorAll(s)).some((e) => !e.hasAttribute("data-done") && (e as HTMLElement).innerText.includes("bold")),
      { timeout: 15_000 },
      sel.assistant,
    )
    await shot(page, "ui-chat-streaming")
    await page.waitForSelector(sel.assistantDone, { timeout: 20_000 })
    const [text] = await assistantTexts(page)
    expect(text).toContain("word29")
    expect(text.match(/word29/g)?.length).toBe(1)
    // Markdown rendered, code highlighted, model HTML shown as text and never run.
    expect(await page.$eval(`${sel.assistant} strong`, (e) => e.textContent)).toBe("bold")
    expect(await count(page, `${sel.assistant} .hljs-keyword`)).toBeGreaterThan(0)
    expect(await count(page, `${sel.assistant} img`)).toBe(0)
    expect(text).toContain("<img src=x")
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined()
    // Reasoning is folded away under "Thinking" and opens on demand.
    const reasoning = await page.$(`${sel.assistant} [data-testid=reasoning]`)
    expect(await reasoning!.evaluate((e) => (e as HTMLDetailsElement).open)).toBe(false)
    await page.click(`${sel.assistant} [data-testid=reasoning] summary`)
    expect(await reasoning!.evaluate((e) => (e as HTMLElement).innerText)).toContain("Pondering how to greet")
    // Tokens and cost under the finished reply.
    expect(await page.$eval("[data-testid=usage]", (e) => e.textContent)).toContain("mock/mock-model")
    // Context used, against the model's 100,000-token window from the config.
    expect(await page.$eval("[data-testid=context]", (e) => e.textContent)).toMatch(/^[\d,]+ \/ 100,000 tokens \(\d+%\)$/)

    const sessions = (await fx.client.session.list()).data!
    expect(sessions.length).toBe(1)
    expect(await routeSession(page)).toBe(sessions[0].id)
    const body = fx.llm.requests.at(-1)
    expect(JSON.stringify(body.messages)).toContain("Say hello")
    await shot(page, "ui-chat-reply")
    expect(errors).toEqual([])
    await page.close()
  })

  test("Shift+Enter adds a line; a reopened page shows the latest session", async () => {
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    await waitForText(page, sel.user, "Say hello")
    fx.llm.enqueue({ text: "two lines received" })
    await page.click(sel.prompt)
    await page.type(sel.prompt, "first")
    await page.keyboard.down("Shift")
    await page.keyboard.press("Enter")
    await page.keyboard.up("Shift")
    await page.type(sel.prompt, "second")
    expect(await page.$eval(sel.prompt, (e) => (e as HTMLTextAreaElement).value)).toBe("first\nsecond")
    await page.keyboard.press("Enter")
    await waitForText(page, sel.assistant, "two lines received")
    const last = fx.llm.requests.at(-1).messages.at(-1)
    expect(JSON.stringify(last.content)).toContain("first\\nsecond")
    await page.close()
  })

  test("sessions: create, rename, search, fork, delete — newest first", async () => {
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    const before = (await fx.client.session.list()).data!.length
    await page.click("[data-testid=new-session]")
    await page.waitForFunction((n: number) => document.querySelectorAll("[data-testid=session-item]").length === n, {}, before + 1)
    const created = (await fx.client.session.list()).data!
    expect(created.length).toBe(before + 1)
    const newest = created.sort((a, b) => b.time.updated - a.time.updated)[0]
    expect(await routeSession(page)).toBe(newest.id)
    expect(await page.$eval("[data-testid=session-item] .current, [data-testid=session-item].current", (e) => !!e)).toBe(true)

    // Rename the current (first) session from its menu.
    await page.click("[data-testid=session-item] .menu summary")
    await page.click("[data-testid=session-item] [data-testid=rename]")
    const input = await page.waitForSelector("[data-testid=rename-input]")
    expect(await input!.evaluate((e) => document.activeElement === e)).toBe(true)
    await page.keyboard.type("Renamed from the browser")
    await page.keyboard.press("Enter")
    await waitForText(page, "[data-testid=session-item]", "Renamed from the browser")
    expect((await fx.client.session.get({ path: { id: newest.id } })).data!.title).toBe("Renamed from the browser")

    await page.type("[data-testid=session-search]", "renamed from")
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=session-item]").length === 1)
    await page.$eval("[data-testid=session-search]", (e) => ((e as HTMLInputElement).value = ""))
    await page.type("[data-testid=session-search]", " ")

    // Fork the first conversation from its user message.
    const first = created.find((s) => s.id !== newest.id)!
    await page.evaluate((id: string) => (location.hash = `#/s/${id}`), first.id)
    await page.reload()
    await waitReady(page)
    await waitForText(page, sel.user, "Say hello")
    await page.click(`${sel.user} button[title^="New session with"]`)
    await page.waitForFunction((id: string) => !location.hash.includes(id), {}, first.id)
    const forked = (await fx.client.session.list()).data!.find((s) => s.id !== first.id && s.id !== newest.id)!
    expect(forked).toBeDefined()

    // Delete the renamed session.
    page.once("dialog", (d) => void d.accept())
    const items = await page.$$("[data-testid=session-item]")
    for (const item of items) {
      if (!(await item.evaluate((e) => (e as HTMLElement).innerText.includes("Renamed from the browser")))) continue
      await (await item.$(".menu summary"))!.click()
      await (await item.$("[data-testid=delete]"))!.click()
    }
    await page.waitForFunction(
      () => !Array.from(document.querySelectorAll("[data-testid=session-item]")).some((e) => (e as HTMLElement).innerText.includes("Renamed")),
    )
    expect((await fx.client.session.list()).data!.some((s) => s.id === newest.id)).toBe(false)
    await page.close()
  })

  test("a prompt sent while busy shows as queued; Stop ends the reply and the queue, and the session takes prompts again", async () => {
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    await page.click("[data-testid=new-session]")
    await page.waitForFunction(() => !document.querySelector("[data-testid=message-user]"))
    fx.llm.enqueue({ hang: true, text: "I am thinking very slowly" })
    await sendPrompt(page, "take your time")
    await waitForText(page, sel.assistant, "thinking very slowly")
    await page.waitForSelector(sel.stop)
    await sendPrompt(page, "and then this")
    await page.waitForFunction(
      (s: string) =>
        Array.from(document.querySelectorAll(s)).some((e) => (e as HTMLElement).innerText.includes("and then this") && e.querySelector("[data-testid=queued]")),
      { timeout: 10_000 },
      sel.user,
    )
    await new Promise((r) => setTimeout(r, 300))
    expect(await count(page, `${sel.user} [data-testid=queued]`)).toBe(1)
    await shot(page, "ui-chat-queued")
    await page.click(sel.stop)
    await waitForText(page, sel.assistant, "Stopped", 15_000)
    await page.waitForFunction((s: string) => !document.querySelector(s), { timeout: 15_000 }, sel.working)
    expect(await count(page, "[data-testid=queued]")).toBe(0)
    expect(await count(page, sel.stop)).toBe(0)
    fx.llm.enqueue({ text: "answered after the stop" })
    await sendPrompt(page, "one more")
    await waitForText(page, sel.assistant, "answered after the stop")
    await page.close()
  })
})

describe.skipIf(skip)("keyboard and screen readers", () => {
  test("shortcuts create a session and move focus; every control has an accessible name", async () => {
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    const before = (await fx.client.session.list()).data!.length
    await page.keyboard.down("Alt")
    await page.keyboard.press("KeyN")
    await page.keyboard.up("Alt")
    const deadline = Date.now() + 10_000
    while ((await fx.client.session.list()).data!.length === before && Date.now() < deadline) await Bun.sleep(50)
    expect((await fx.client.session.list()).data!.length).toBe(before + 1)

    const focused = () => page.evaluate(() => document.activeElement?.id)
    await page.keyboard.down("Alt")
    await page.keyboard.press("KeyK")
    await page.keyboard.up("Alt")
    await page.waitForFunction(() => document.activeElement?.id === "session-search")
    await page.keyboard.press("Escape")
    await page.keyboard.down("Alt")
    await page.keyboard.press("KeyL")
    await page.keyboard.up("Alt")
    expect(await focused()).toBe("prompt-input")

    const tree = await page.accessibility.snapshot({ interestingOnly: true })
    const unnamed: string[] = []
    const walk = (node: any) => {
      if (["button", "textbox", "combobox", "searchbox", "checkbox", "link"].includes(node.role) && !String(node.name ?? "").trim()) unnamed.push(node.role)
      for (const child of node.children ?? []) walk(child)
    }
    walk(tree)
    expect(unnamed).toEqual([])
    // Light and dark follow the system.
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }])
    expect(await background()).toBe("rgb(255, 255, 255)")
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }])
    expect(await background()).toBe("rgb(19, 18, 17)")
    // Landmarks a screen reader can jump between.
    for (const label of ["Projects and sessions", "Session", "Conversation", "Prompt"]) expect(await page.$(`[aria-label="${label}"]`)).not.toBeNull()
    await page.close()
  })
})
