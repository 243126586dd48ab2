// Journey: the page stays live. A reload in the middle of a stream catches up; a dropped event
// stream (a phone that slept) resumes with Last-Event-ID without reloading, nothing missing
// or doubled.
import { test, expect, beforeAll, afterAll, describe } from "bun:test"
import { startWebFixture, noBrowser, waitReady, shot, executable, type WebFixture } from "../helpers/browser"
import { spawnServe } from "../cli/serve-process"
import { sel, sendPrompt, assistantTexts, waitForText, words, startDropProxy } from "./ui-steps"

const skip = noBrowser("web ui live journeys")
let fx: WebFixture

beforeAll(async () => {
  if (skip) return
  fx = await startWebFixture()
}, 180_000)
afterAll(() => fx?.stop())

const occurrences = (text: string, word: string) => text.split(/\s+/).filter((w) => w === word).length

describe.skipIf(skip)("live updates", () => {
  test("reloading in the middle of a stream shows what was streamed so far and catches up", async () => {
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    const reply = words(60, "r")
    fx.llm.enqueue({ text: reply, chunks: 60, delay: 60 })
    await sendPrompt(page, "stream slowly")
    await waitForText(page, sel.assistant, "r5 ")
    await page.reload()
    await waitReady(page)
    // Mid-stream after the reload: earlier words are there, the reply is not finished yet.
    await waitForText(page, sel.assistant, "r10")
    expect(await page.$(sel.assistantDone)).toBeNull()
    await shot(page, "ui-live-after-reload")
    await page.waitForSelector(sel.assistantDone, { timeout: 20_000 })
    const [text] = await assistantTexts(page)
    for (const w of ["r0", "r30", "r59"]) expect(occurrences(text, w)).toBe(1)
    await page.close()
  })

  test("a dropped event stream resumes without a reload: nothing missing, nothing doubled", async () => {
    const proxy = await startDropProxy(fx.base)
    const page = await fx.page()
    await page.goto(proxy.url + "/")
    await waitReady(page)
    await page.click("[data-testid=new-session]")
    await page.waitForFunction(() => !document.querySelector("[data-testid=message-user]"))
    await page.evaluate(() => ((window as any).__sameDocument = true))
    const reply = words(50, "d")
    fx.llm.enqueue({ text: reply, chunks: 50, delay: 60 })
    await sendPrompt(page, "keep going")
    await waitForText(page, sel.assistant, "d3 ")
    // Cut the stream; the browser's EventSource reconnects by itself with Last-Event-ID.
    proxy.drop()
    await page.waitForSelector(".dot:not(.on)", { timeout: 10_000 })
    await page.waitForSelector(".dot.on", { timeout: 15_000 })
    await page.waitForSelector(sel.assistantDone, { timeout: 20_000 })
    const [text] = await assistantTexts(page)
    for (const w of ["d0", "d20", "d49"]) expect(occurrences(text, w)).toBe(1)
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true)
    // It resumed from where it was cut rather than starting over.
    const resumed = proxy.requests.filter((r) => r.startsWith("GET /event") && /^last-event-id: *\S+/im.test(r))
    expect(resumed.length).toBeGreaterThan(0)
    await page.close()
    proxy.stop()
  })
})

describe.skipIf(skip)("switching sessions", () => {
  test("opening a session while its reply streams shows it whole once it ends", async () => {
    const other = (await fx.client.session.create({ body: { title: "streaming elsewhere" } })).data!
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    await page.click("[data-testid=new-session]")
    await page.waitForFunction((id: string) => !location.hash.includes(id) && location.hash.includes("/s/"), {}, other.id)
    fx.llm.enqueue({ text: words(40, "s"), chunks: 40, delay: 50 })
    await fx.client.session.promptAsync({ path: { id: other.id }, body: { parts: [{ type: "text", text: "go on" }] } })
    await Bun.sleep(600)
    const items = await page.$$("[data-testid=session-item]")
    for (const item of items)
      if (await item.evaluate((e) => (e as HTMLElement).innerText.includes("streaming elsewhere"))) await (await item.$(".session-open"))!.click()
    await page.waitForSelector(sel.assistantDone, { timeout: 20_000 })
    const [text] = await assistantTexts(page)
    for (const w of ["s0", "s20", "s39"]) expect(occurrences(text, w)).toBe(1)
    await page.close()
  })
})

describe.skipIf(skip)("server restart", () => {
  test("after a restart the page reloads what changed while it was away (server.resync), without a page reload", async () => {
    const page = await fx.page()
    await page.goto(fx.base + "/")
    await waitReady(page)
    await page.evaluate(() => ((window as any).__sameDocument = true))
    const port = fx.server.port
    await fx.server.signal("SIGTERM")
    await page.waitForSelector(".dot:not(.on)", { timeout: 10_000 })
    fx.server = await spawnServe([await executable(), "serve", "--port", String(port), "--hostname", "127.0.0.1"], {
      cwd: fx.directory,
      env: { OPENCODE_BUN_DATA_DIR: fx.dataDir },
      timeoutMs: 20_000,
    })
    // Made before the browser reconnects: no live event can bring it, only the resync reload.
    await fx.client.session.create({ body: { title: "made while the page was away" } })
    await waitForText(page, "[data-testid=session-item]", "made while the page was away", 20_000)
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true)
    await page.close()
  })
})
