// The web interface, measured in Chromium against a server on loopback: the app shell's
// compressed size, time to interactive (navigation start -> <html data-ready>), a session of
// 2,000 messages opened and scrolled, a reply streaming ~1,000 deltas a second while a person
// types, and what the UI adds to the linux-x64 executable. Each figure comes with a baseline
// measured in the same run: a bare page from a bare server, an idle page, a build without
// the UI.
//
//   bun bench/web.ts   prints the figures and saves bench/results/web.txt
// Measures whatever web/ holds; a figure the app cannot give (it does not show sessions yet)
// is reported as not measured, with the reason.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import type { Browser } from "puppeteer-core"
import { benchRoot } from "./bench-root"

benchRoot("ocb-bench-web-", { OPENCODE_BUN_STATE_DIR: "state", OPENCODE_BUN_CACHE_DIR: "cache", XDG_CONFIG_HOME: "xdg" })
delete process.env.OPENCODE_SERVER_PASSWORD

const { bundleWeb } = await import("../src/web/bundle")
const { startServer } = await import("../src/server/server")
const { getInstance } = await import("../src/project/instance")
const Sessions = await import("../src/session/session")
const { fillSession } = await import("./web-history")
const { startMockLLM, mockProviderConfig } = await import("../test/helpers/mock-llm")
const { launchBrowser, CHROMIUM } = await import("../test/helpers/browser")
const { freshPage, readyAt, shownAt, FRAMES, frameLine, countDeltas, median, pct, ms } = await import("./web-measure")
const { compile } = await import("../build")
const { createOpencodeClient } = await import("@opencode-ai/sdk")

const RUNS = 7
const AIM = { shellKB: 300, ttiMs: 1000, binaryMB: 3 }
const lines: string[] = []
const say = (s = "") => {
  lines.push(s)
  console.log(s)
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const met = (ok: boolean) => (ok ? "met" : "MISSED")

say("# opencode-bun web interface benchmark")
say(`${new Date().toISOString().slice(0, 16)}Z, Bun ${Bun.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, load average ${os.loadavg()[0].toFixed(1)}`)

// 1. The shell: what a first visit downloads (index.html is tiny and listed apart).
{
  const files = await bundleWeb()
  const shell = files.filter((f) => /javascript|css/.test(f.type))
  const sum = (k: "identity" | "gzip" | "br") => shell.reduce((n, f) => n + (f[k] ?? f.identity).byteLength, 0)
  const index = files.find((f) => f.path === "index.html")!
  say()
  say(`shell (${shell.length} JS/CSS files; index.html ${kb(index.identity.byteLength)}, br ${kb((index.br ?? index.identity).byteLength)})`)
  say(`  uncompressed   ${kb(sum("identity")).padStart(10)}  (baseline)`)
  say(`  gzip -9        ${kb(sum("gzip")).padStart(10)}  ${(sum("gzip") / sum("identity")).toFixed(2)}x`)
  say(`  brotli 11      ${kb(sum("br")).padStart(10)}  ${(sum("br") / sum("identity")).toFixed(2)}x  aim < ${AIM.shellKB} KB compressed: ${met(sum("br") < AIM.shellKB * 1024 && sum("gzip") < AIM.shellKB * 1024)}`)
}

const project = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-web-project-"))
const llm = await startMockLLM()
fs.writeFileSync(path.join(project, "opencode.json"), JSON.stringify(mockProviderConfig(llm.url, { extra: { agent: { title: { disable: true } } } })))
const server = await startServer({ port: 0, hostname: "127.0.0.1", directory: project })
const base = server.url.origin
const client = createOpencodeClient({ baseUrl: base, directory: project })
// The baseline page: one HTML file and one script that marks it ready, from a bare Bun server.
const bare = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: (req) =>
    new URL(req.url).pathname === "/ready.js"
      ? new Response('document.documentElement.dataset.ready=""', { headers: { "content-type": "text/javascript" } })
      : new Response('<!doctype html><title>bare</title><script type="module" src="./ready.js"></script>', { headers: { "content-type": "text/html" } }),
})

let browser: Browser | undefined
if (!CHROMIUM) say("\nbrowser figures not measured: chromium is not installed (apt-get install chromium)")
else browser = await launchBrowser()

// 2. Time to interactive: a first visit (empty cache) and a return visit (cached assets).
if (browser) {
  const cold = { app: [] as number[], bare: [] as number[] }
  const warm = { app: [] as number[], bare: [] as number[] }
  for (let i = 0; i < RUNS; i++) {
    for (const [name, url] of [["app", base + "/"], ["bare", `http://127.0.0.1:${bare.port}/`]] as const) {
      const page = await freshPage(browser)
      cold[name].push(await readyAt(page, url))
      warm[name].push(await readyAt(page, url))
      await page.browserContext().close()
    }
  }
  say()
  say(`time to interactive on loopback (navigation start -> <html data-ready>), median of ${RUNS}`)
  say(`  bare page (1 HTML + 1 script)  first ${ms(median(cold.bare)).padStart(7)}  return ${ms(median(warm.bare)).padStart(7)}  (baseline)`)
  say(
    `  the app                        first ${ms(median(cold.app)).padStart(7)}  return ${ms(median(warm.app)).padStart(7)}  ${(median(cold.app) / median(cold.bare)).toFixed(1)}x / ${(median(warm.app) / median(warm.bare)).toFixed(1)}x  aim < ${AIM.ttiMs} ms: ${met(median(cold.app) < AIM.ttiMs)}`,
  )
}

const instance = await getInstance(project)
const hashFor = (id: string) => `#/s/${encodeURIComponent(id)}?dir=${encodeURIComponent(project)}`

// 3. A session of 2,000 messages: opened, then scrolled for 4 s.
if (browser) {
  const big = Sessions.create(instance, { title: "2,000 messages" })
  const small = Sessions.create(instance, { title: "2 messages" })
  const bigMarker = fillSession(instance, big.id, project, 2_000)
  const smallMarker = fillSession(instance, small.id, project, 2)
  say()
  say("a session of 2,000 messages (1,000 prompts, 1,000 replies with text and a tool call)")
  const opened: Record<string, number | undefined> = {}
  for (const [name, s, marker] of [["2 messages", small, smallMarker], ["2,000 messages", big, bigMarker]] as const) {
    const page = await freshPage(browser)
    await page.goto(`${base}/${hashFor(s.id)}`)
    opened[name] = await shownAt(page, marker)
    if (name === "2,000 messages" && opened[name] !== undefined) {
      const idle = await page.evaluate(FRAMES, 1, false)
      const scrolled = await page.evaluate(FRAMES, 4, true)
      say(`  opened: last message shown ${ms(opened[name]!)} after navigation start; ${ms(opened["2 messages"] ?? NaN)} for a 2-message session (baseline), ${(opened[name]! / (opened["2 messages"] ?? NaN)).toFixed(1)}x`)
      say(`  DOM elements while scrolling: ${scrolled.nodes} (windowed rendering keeps this flat); scrolled ${(scrolled.scrolled / 1000).toFixed(0)}k px`)
      say(frameLine("  idle, 1 s     ", idle) + "  (baseline)")
      say(frameLine("  scrolling, 4 s", scrolled) + `  p95 ${(pct(scrolled.frames, 0.95) / pct(idle.frames, 0.95)).toFixed(1)}x idle`)
    }
    await page.browserContext().close()
  }
  if (opened["2,000 messages"] === undefined) say("  not measured: the app in web/ did not show the session's last message within 20 s")
}

// 4. A reply streaming 1,000 deltas a second for 5 s while a key is pressed every 100 ms.
if (browser) {
  const DELTAS = 5_000
  const s = (await client.session.create({ body: { title: "streaming" } })).data!
  const page = await freshPage(browser)
  await page.goto(`${base}/${hashFor(s.id)}`)
  await page.waitForSelector("html[data-ready]", { timeout: 20_000 })
  await page.evaluate(() => {
    const w = window as any
    w.__keys = []
    document.addEventListener("keydown", (e) => {
      const handled = performance.now()
      requestAnimationFrame(() => w.__keys.push({ delay: handled - e.timeStamp, toFrame: performance.now() - e.timeStamp }))
    }, true)
  })
  await page.focus("textarea").catch(() => {})

  async function typing(seconds: number) {
    const roundTrips: number[] = []
    const tasksBefore = await page.evaluate(() => (window as any).__longTasks.length)
    const keysBefore = await page.evaluate(() => (window as any).__keys.length)
    const end = performance.now() + seconds * 1000
    while (performance.now() < end) {
      const t = performance.now()
      await page.keyboard.press("a")
      roundTrips.push(performance.now() - t)
      await Bun.sleep(100)
    }
    await page.keyboard.down("Control")
    await page.keyboard.press("a")
    await page.keyboard.up("Control")
    await page.keyboard.press("Backspace")
    return page.evaluate((tb: number, kb: number) => ({ longTasks: (window as any).__longTasks.slice(tb).map((t: any) => t.duration), keys: (window as any).__keys.slice(kb) }), tasksBefore, keysBefore).then((r) => ({ ...r, roundTrips }))
  }
  const keyLine = (label: string, r: Awaited<ReturnType<typeof typing>>) =>
    `${label}  keys ${String(r.keys.length).padStart(3)}  input delay median ${ms(median(r.keys.map((k: any) => k.delay))).padStart(7)} max ${ms(Math.max(...r.keys.map((k: any) => k.delay))).padStart(7)}  key to next frame p95 ${ms(pct(r.keys.map((k: any) => k.toFrame), 0.95)).padStart(7)}  long tasks ${r.longTasks.length} (${ms(r.longTasks.reduce((a: number, b: number) => a + b, 0))})`

  const idle = await typing(3)
  const text = Array.from({ length: DELTAS }, (_, i) => `w${i} `).join("") + "STREAM-END"
  llm.enqueue({ text, chunks: DELTAS, perSecond: 1_000 })
  const events = await fetch(`${base}/event?directory=${encodeURIComponent(project)}`)
  const counted = countDeltas(events, s.id)
  await client.session.promptAsync({ path: { id: s.id }, body: { parts: [{ type: "text", text: "stream please" }] } })
  const streaming = await typing(5)
  const shown = await shownAt(page, "STREAM-END")
  const rate = await counted
  say()
  say(`a reply streaming ${DELTAS} deltas (mock LLM paced at 1,000/s; ${rate.perSecond.toFixed(0)}/s reached the event stream) while a key is pressed every 100 ms`)
  say(keyLine("  idle page, 3 s   ", idle) + "  (baseline)")
  say(keyLine("  during stream, 5 s", streaming))
  say(`  keypress round trip (CDP) median ${ms(median(streaming.roundTrips))} vs ${ms(median(idle.roundTrips))} idle, ${(median(streaming.roundTrips) / median(idle.roundTrips)).toFixed(1)}x`)
  say(shown === undefined ? "  the streamed reply's end did not appear in the page within 20 s (the app in web/ may not render replies yet)" : "  the whole reply was shown")
  await page.browserContext().close()
}

await browser?.close()
bare.stop(true)
await server.stop()
await llm.stop()

// 5. What the UI adds to the linux-x64 executable: built with and without it.
{
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ocb-bench-web-build-"))
  // linux-x64 from any host: the runtime and rg for it come from the npm registry.
  const target = "linux-x64"
  const size = async (web: boolean) => {
    const dir = path.join(outdir, web ? "with" : "without")
    return fs.statSync(await compile(target, dir, undefined, { web })).size
  }
  const without = await size(false)
  const withUi = await size(true)
  const added = withUi - without
  say()
  say("linux-x64 executable")
  say(`  without the web interface  ${(without / 1048576).toFixed(2).padStart(8)} MB  (baseline)`)
  say(`  with it                    ${(withUi / 1048576).toFixed(2).padStart(8)} MB  +${(added / 1048576).toFixed(2)} MB, ${((added / without) * 100).toFixed(1)}%  aim < ${AIM.binaryMB} MB: ${met(added < AIM.binaryMB * 1048576)}`)
  fs.rmSync(outdir, { recursive: true, force: true })
}

fs.mkdirSync(path.join(import.meta.dir, "results"), { recursive: true })
fs.writeFileSync(path.join(import.meta.dir, "results", "web.txt"), lines.join("\n") + "\n")
fs.rmSync(project, { recursive: true, force: true })
process.exit(0)
