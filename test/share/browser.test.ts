import { test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import type { Browser } from "puppeteer-core"
import { launchBrowser, noBrowser, consoleErrors, shot } from "../helpers/browser"
import { seedConversation, startShareFixture, type ShareFixture } from "./fixture"

// Debian's chromium, headless, through the shared browser helper. CI installs it (.ci/run);
// elsewhere the test skips and says why.
const skip = noBrowser("share page browser test")

let f: ShareFixture
let url: string
let browser: Browser

beforeAll(async () => {
  if (skip) return
  f = await startShareFixture()
  const session = await seedConversation(f, "Browser check")
  url = (await f.client.session.share({ path: { id: session.id } })).data!.share!.url
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await f?.server.stop()
  await f?.llm.stop()
})

test.skipIf(skip)("chromium renders the shared conversation without credentials", async () => {
  const page = await browser.newPage()
  const errors = consoleErrors(page)
  const res = await page.goto(url)
  expect(res?.status()).toBe(200)
  const html = await page.content()
  expect(html).toContain("<h1>Browser check</h1>")
  expect(html).toContain("Please write hello.txt")
  expect(html).toContain("Done: I wrote <strong>hello.txt</strong>")
  expect(html).toContain('<span class="tool-name">write</span>')
  expect(html).toContain('<span class="add">+hello from the agent</span>')
  // The message's markup stayed text in the live DOM too.
  expect(html).toContain('&lt;script&gt;alert("xss")&lt;/script&gt;')
  expect(html).not.toContain("<script")
  // The inline stylesheet is allowed by the page's own CSP; nothing else was attempted.
  expect(errors.filter((e) => e.includes("Content Security Policy"))).toEqual([])
  await page.close()
}, 30_000)

test.skipIf(skip)("chromium takes a screenshot of the page", async () => {
  const page = await browser.newPage()
  await page.setViewport({ width: 1000, height: 1400 })
  await page.goto(url)
  const png = fs.readFileSync(await shot(page, "share-page"))
  expect(png.subarray(1, 4).toString()).toBe("PNG")
  // A blank page compresses to a few hundred bytes; text, boxes and colours do not.
  expect(png.length).toBeGreaterThan(20_000)
  await page.close()
}, 30_000)
