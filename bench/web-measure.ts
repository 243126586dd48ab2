// In-page measurements for bench/web.ts: functions run inside Chromium (page.evaluate) and
// the helpers around them.
import type { Browser, Page } from "puppeteer-core"

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN
export const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`

/** Records, from navigation start, when <html data-ready> appears (and keeps long tasks). */
export const OBSERVE = () => {
  const w = window as any
  w.__longTasks = []
  new PerformanceObserver((l) => w.__longTasks.push(...l.getEntries().map((e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: "longtask", buffered: true })
  const check = () => {
    if (w.__ready === undefined && document.documentElement.hasAttribute("data-ready")) w.__ready = performance.now()
  }
  new MutationObserver(check).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] })
}

export async function freshPage(b: Browser): Promise<Page> {
  const context = await b.createBrowserContext()
  const page = await context.newPage()
  await page.setViewport({ width: 1280, height: 800 })
  await page.evaluateOnNewDocument(OBSERVE)
  return page
}

export async function readyAt(page: Page, url: string): Promise<number> {
  await page.goto(url)
  await page.waitForSelector("html[data-ready]", { timeout: 20_000 })
  return page.evaluate(() => (window as any).__ready as number)
}

/** Waits until the page shows `marker`; ms from navigation start, or undefined after 20 s. */
export async function shownAt(page: Page, marker: string): Promise<number | undefined> {
  return page
    .waitForFunction((m) => document.body.textContent!.includes(m) && performance.now(), { timeout: 20_000, polling: "raf" }, marker)
    .then((h) => h.jsonValue() as Promise<number>)
    .catch(() => undefined)
}

/** rAF frame intervals while `work` runs in the page for `seconds`, plus long tasks in that time. */
export const FRAMES = (seconds: number, scroll: boolean) =>
  new Promise<{ frames: number[]; longTasks: number[]; nodes: number; scrolled: number }>((resolve) => {
    const w = window as any
    const all = Array.from(document.querySelectorAll<HTMLElement>("*")).filter((e) => e.scrollHeight > e.clientHeight + 50 && /(auto|scroll)/.test(getComputedStyle(e).overflowY))
    const el = document.querySelector<HTMLElement>("[role=log]") ?? all.sort((a, b) => b.scrollHeight - a.scrollHeight)[0] ?? document.scrollingElement!
    const start = performance.now()
    const tasksBefore = w.__longTasks.length
    const frames: number[] = []
    let last = start
    let scrolled = 0
    const tick = (now: number) => {
      frames.push(now - last)
      last = now
      if (scroll) {
        const before = el.scrollTop
        // Up through the history, wrapping to the bottom: a person flicking through it.
        el.scrollTop = before <= 0 ? el.scrollHeight : before - 240
        scrolled += Math.abs(el.scrollTop - before)
      }
      if (now - start < seconds * 1000) requestAnimationFrame(tick)
      else resolve({ frames: frames.slice(1), longTasks: w.__longTasks.slice(tasksBefore).map((t: any) => t.duration), nodes: document.querySelectorAll("*").length, scrolled })
    }
    requestAnimationFrame(tick)
  })

export function frameLine(label: string, r: { frames: number[]; longTasks: number[] }) {
  const janky = r.frames.filter((f) => f > 50).length
  const sum = r.longTasks.reduce((a, b) => a + b, 0)
  return `${label}  frames ${String(r.frames.length).padStart(4)}  median ${ms(median(r.frames)).padStart(7)}  p95 ${ms(pct(r.frames, 0.95)).padStart(7)}  max ${ms(Math.max(...r.frames)).padStart(7)}  >50 ms ${janky}  long tasks ${r.longTasks.length} (${ms(sum)})`
}

export async function countDeltas(res: Response, sessionID: string): Promise<{ perSecond: number }> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buf = ""
  let first = 0
  let last = 0
  let n = 0
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const { value, done } = await reader.read()
    if (done) break
    buf += decoder.decode(value, { stream: true })
    let i
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const data = buf.slice(0, i).split("\n").find((l) => l.startsWith("data:"))
      buf = buf.slice(i + 2)
      if (!data) continue
      const e = JSON.parse(data.slice(5))
      if (e.properties?.sessionID !== sessionID && e.properties?.part?.sessionID !== sessionID && e.properties?.info?.id !== sessionID) continue
      if (e.type === "message.part.delta") {
        n++
        last = performance.now()
        first ||= last
      }
      if (e.type === "session.idle") {
        reader.cancel().catch(() => {})
        return { perSecond: (n / (last - first)) * 1000 }
      }
    }
  }
  reader.cancel().catch(() => {})
  return { perSecond: first ? (n / (last - first)) * 1000 : 0 }
}
