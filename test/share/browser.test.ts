import { test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { tmpdir } from "../helpers/tmp"
import { seedConversation, startShareFixture, type ShareFixture } from "./fixture"

// Debian's chromium, headless. CI installs it (.ci/run); elsewhere the test skips and says why.
const chromium = Bun.which("chromium") ?? Bun.which("chromium-browser")
if (!chromium) console.log("share browser test skipped: chromium is not installed (apt-get install chromium)")

let f: ShareFixture
let url: string

beforeAll(async () => {
  if (!chromium) return
  f = await startShareFixture()
  const session = await seedConversation(f, "Browser check")
  url = (await f.client.session.share({ path: { id: session.id } })).data!.share!.url
})
afterAll(async () => {
  await f?.server.stop()
  await f?.llm.stop()
})

async function browse(...args: string[]) {
  const flags = [
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    `--user-data-dir=${tmpdir("chromium-")}`,
    // Chromium refuses to start its sandbox as root.
    ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
  ]
  const proc = Bun.spawn([chromium!, ...flags, ...args], { stdout: "pipe", stderr: "pipe" })
  const timer = setTimeout(() => proc.kill(), 25_000)
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(timer)
  return { stdout, stderr, code }
}

test.skipIf(!chromium)("chromium renders the shared conversation without credentials", async () => {
  const { stdout, stderr, code } = await browse("--dump-dom", url)
  expect(code).toBe(0)
  expect(stdout).toContain("<h1>Browser check</h1>")
  expect(stdout).toContain("Please write hello.txt")
  expect(stdout).toContain("Done: I wrote <strong>hello.txt</strong>")
  expect(stdout).toContain('<span class="tool-name">write</span>')
  expect(stdout).toContain('<span class="add">+hello from the agent</span>')
  // The message's markup stayed text in the live DOM too.
  expect(stdout).toContain('&lt;script&gt;alert("xss")&lt;/script&gt;')
  expect(stdout).not.toContain("<script")
  // The inline stylesheet is allowed by the page's own CSP; nothing else was attempted.
  expect(stderr).not.toContain("Content Security Policy")
}, 30_000)

test.skipIf(!chromium)("chromium takes a screenshot of the page", async () => {
  const file = path.join(tmpdir("shot-"), "share.png")
  const { code } = await browse("--hide-scrollbars", "--window-size=1000,1400", `--screenshot=${file}`, url)
  expect(code).toBe(0)
  const png = fs.readFileSync(file)
  expect(png.subarray(1, 4).toString()).toBe("PNG")
  // A blank page compresses to a few hundred bytes; text, boxes and colours do not.
  expect(png.length).toBeGreaterThan(20_000)
  if (process.env.SHARE_SCREENSHOT) fs.copyFileSync(file, process.env.SHARE_SCREENSHOT)
}, 30_000)
