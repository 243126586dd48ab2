// Journey: with a password set, a person on a phone (390x844) logs in once and runs the agent.
// (The refused page without credentials is covered by serve-browser.test.ts.)
import { test, expect, beforeAll, afterAll, describe } from "bun:test"
import { startWebFixture, noBrowser, waitReady, shot, consoleErrors, type WebFixture } from "../helpers/browser"
import { sel, sendPrompt, waitForText } from "./ui-steps"

const skip = noBrowser("web ui phone journey")
let fx: WebFixture
const PHONE = { width: 390, height: 844 }

beforeAll(async () => {
  if (skip) return
  fx = await startWebFixture({ password: "correct horse battery", files: { "src/main.ts": "console.log('hi')\n" } })
}, 180_000)
afterAll(() => fx?.stop())

describe.skipIf(skip)("phone with a password", () => {
  test("after one login: prompt, streamed reply over the event stream, sessions drawer, panels fit the screen", async () => {
    const page = await fx.page(PHONE)
    const errors = consoleErrors(page)
    await page.goto(fx.base + "/")
    await waitReady(page)
    fx.llm.enqueue({ text: "Hello from your phone. Everything fits.", chunks: 8, delay: 30 })
    await sendPrompt(page, "hi from the phone")
    await page.waitForSelector(sel.assistantDone, { timeout: 20_000 })
    await waitForText(page, sel.assistant, "Everything fits.")
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
    expect(await fits()).toBe(true)
    // The prompt and its send button are on screen.
    const send = await page.$eval("[data-testid=send]", (e) => e.getBoundingClientRect().toJSON())
    expect(send.right).toBeLessThanOrEqual(PHONE.width)
    expect(send.bottom).toBeLessThanOrEqual(PHONE.height)
    await shot(page, "ui-phone-chat")

    // The session list is a drawer: hidden until asked for.
    expect(await page.$eval("[data-testid=sidebar]", (e) => getComputedStyle(e).visibility)).toBe("hidden")
    await page.click("[data-testid=toggle-sidebar]")
    await page.waitForFunction(() => document.querySelector("[data-testid=sidebar]")!.getBoundingClientRect().left === 0)
    await waitForText(page, "[data-testid=session-item]", "hi from the phone")
    await shot(page, "ui-phone-sessions")
    await page.keyboard.press("Escape")

    await page.click("[data-testid=tab-files]")
    await page.waitForSelector("[data-testid=tree-item][data-path=src]")
    await page.click("[data-testid=tree-item][data-path=src]")
    await (await page.waitForSelector("[data-testid=tree-item][data-path='src/main.ts']"))!.click()
    const viewer = await page.waitForSelector("[data-testid=file-viewer]")
    expect(await viewer!.evaluate((e) => (e as HTMLElement).innerText)).toContain("console.log('hi')")
    expect(await fits()).toBe(true)
    await shot(page, "ui-phone-file")
    expect(errors).toEqual([])
    await page.close()
  })
})
