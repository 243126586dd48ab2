// Steps the journey tests share: what a person does in the app, through its labels and test ids.
import type { Page } from "puppeteer-core"

export const sel = {
  prompt: "[data-testid=prompt-input]",
  assistant: "[data-testid=message-assistant]",
  assistantDone: "[data-testid=message-assistant][data-done]",
  user: "[data-testid=message-user]",
  permission: "[data-testid=permission]",
  stop: "[data-testid=stop]",
  working: "[data-testid=working]",
}

export async function sendPrompt(page: Page, text: string) {
  await page.click(sel.prompt)
  await page.type(sel.prompt, text)
  await page.keyboard.press("Enter")
}

/** The text of every assistant message on screen, in order. */
export function assistantTexts(page: Page): Promise<string[]> {
  return page.$$eval(sel.assistant, (els) => els.map((e) => (e as HTMLElement).innerText))
}

/** Waits until some element matching `selector` contains `text`. */
export async function waitForText(page: Page, selector: string, text: string, timeout = 15_000) {
  await page.waitForFunction(
    (s: string, t: string) => [...document.querySelectorAll(s)].some((e) => (e as HTMLElement).innerText.includes(t)),
    { timeout },
    selector,
    text,
  )
}

export async function count(page: Page, selector: string) {
  return page.$$eval(selector, (els) => els.length)
}

/** The session the page shows, from its hash route (#/s/<id>). */
export function routeSession(page: Page) {
  return page.evaluate(() => /#\/s\/([^?]+)/.exec(location.hash)?.[1])
}

export const words = (n: number, prefix = "word") => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(" ")
