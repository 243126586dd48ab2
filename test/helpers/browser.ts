// Browser tests: puppeteer-core driving Debian's chromium (headless) against the compiled
// executable (or the server from source), a temp project configured with the loopback mock
// LLM, and a temp data dir.
//
// CONTRACT between the server (branch web-serve) and the app (branch web-ui):
// - The app sets `data-ready` on <html> (document.documentElement) once a person can type a
//   prompt. `waitReady(page)` waits for it; time to interactive in bench/web.ts is measured
//   from navigation start to that attribute appearing.
// - The page's Content-Security-Policy (src/web/headers.ts): scripts, styles, fonts and
//   fetches from the page's own origin only (plus ws/wss to its own host for the PTY),
//   images also as data:/blob:, style="" attributes allowed but no <style> elements or inline
//   scripts. A CSP violation shows as a console error: `consoleErrors` collects them.
// - Screenshots go to test/artifacts/ (gitignored): `shot(page, "name")`.
import fs from "node:fs"
import path from "node:path"
import puppeteer, { type Browser, type Page } from "puppeteer-core"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { binaryPath, compile, hostPlatform } from "../../build"
import { staleReason } from "../binary/fresh"
import { FROM_SOURCE, ROOT, spawnServe, type ServeProcess } from "../cli/serve-process"
import { startMockLLM, mockProviderConfig, type MockLLM } from "./mock-llm"
import { tmpdir, writeTree } from "./tmp"

export const CHROMIUM = ["/usr/bin/chromium", Bun.which("chromium"), Bun.which("chromium-browser")].find((p) => p && fs.existsSync(p)) ?? undefined

/** Why browser tests cannot run here, or undefined. Printed once by the first file that asks. */
export const browserSkipReason: string | undefined = CHROMIUM ? undefined : "chromium is not installed (apt-get install chromium)"
let told = false
export function noBrowser(suite: string): boolean {
  if (browserSkipReason && !told) {
    told = true
    console.warn(`skipping ${suite}: ${browserSkipReason}`)
  }
  return !!browserSkipReason
}

export const ARTIFACTS = path.join(ROOT, "test/artifacts")

/** Headless chromium; `--no-sandbox` because chromium refuses its sandbox as root. */
export async function launchBrowser(opts: { args?: string[] } = {}): Promise<Browser> {
  if (!CHROMIUM) throw new Error(`cannot launch a browser: ${browserSkipReason}`)
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: tmpdir("chromium-"),
    args: [
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...(opts.args ?? []),
    ],
  })
}

let building: Promise<string> | undefined
/** The host's executable: dist/ when it is up to date, else compiled once per test process into a temp dir. */
export function executable(): Promise<string> {
  building ??= (async () => {
    const host = hostPlatform()
    if (!host) throw new Error(`no build target for ${process.platform}-${process.arch}`)
    const bin = binaryPath(host)
    if (!staleReason(bin) && !webNewerThan(bin)) return bin
    return compile(host, tmpdir("web-build-"))
  })()
  return building
}

function webNewerThan(bin: string) {
  const built = fs.statSync(bin).mtimeMs
  const dir = path.join(ROOT, "web")
  if (!fs.existsSync(dir)) return false
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).some((f) => fs.statSync(path.join(dir, f)).mtimeMs > built)
}

export type WebFixture = {
  /** The server's URL, e.g. http://127.0.0.1:43123 (no trailing slash). */
  base: string
  /** The temp project the server runs in (its default directory). */
  directory: string
  dataDir: string
  llm: MockLLM
  server: ServeProcess
  browser: Browser
  password?: string
  /** The official SDK, scoped to `directory`, with the password when one is set. */
  client: ReturnType<typeof createOpencodeClient>
  /** A new tab (default 1280x800; `{ width: 390, height: 844 }` for a phone) logged in when a password is set, unless `login: false`. */
  page: (opts?: { width?: number; height?: number; login?: boolean }) => Promise<Page>
  stop: () => Promise<void>
}

export type WebFixtureOptions = {
  /** Run `bun src/index.ts` instead of the compiled executable. */
  source?: boolean
  /** Sets OPENCODE_SERVER_PASSWORD (user "opencode"). */
  password?: string
  /** Merged into the project's opencode.json (the mock provider is already configured). */
  config?: Record<string, unknown>
  /** Files written into the project before the server starts. */
  files?: Record<string, string>
  env?: Record<string, string>
  serveArgs?: string[]
  browserArgs?: string[]
}

export async function startWebFixture(opts: WebFixtureOptions = {}): Promise<WebFixture> {
  const llm = await startMockLLM()
  const directory = tmpdir("web-project-")
  // The title agent would take scripted replies meant for the conversation.
  const config = mockProviderConfig(llm.url, { extra: { agent: { title: { disable: true } }, ...opts.config } })
  writeTree(directory, { "opencode.json": JSON.stringify(config, null, 2), ...opts.files })
  const cmd = opts.source ? FROM_SOURCE : [await executable()]
  const env: Record<string, string> = { ...opts.env }
  if (opts.password) env.OPENCODE_SERVER_PASSWORD = opts.password
  const server = await spawnServe([...cmd, "serve", "--port", "0", "--hostname", "127.0.0.1", ...(opts.serveArgs ?? [])], {
    cwd: directory,
    env,
    timeoutMs: 20_000,
  })
  const browser = await launchBrowser({ args: opts.browserArgs })
  const headers = opts.password ? { authorization: basicAuth(opts.password) } : undefined
  const client = createOpencodeClient({ baseUrl: server.base, directory, headers })
  return {
    base: server.base,
    directory,
    dataDir: server.dataDir,
    llm,
    server,
    browser,
    password: opts.password,
    client,
    async page(p = {}) {
      const page = await browser.newPage()
      await page.setViewport({ width: p.width ?? 1280, height: p.height ?? 800 })
      if (opts.password && p.login !== false) await page.authenticate({ username: "opencode", password: opts.password })
      return page
    },
    async stop() {
      await browser.close().catch(() => {})
      if (server.proc.exitCode === null) await server.signal("SIGTERM")
      await llm.stop()
    },
  }
}

export function basicAuth(password: string, username = "opencode") {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`
}

/** Resolves once the app says a prompt can be typed (`<html data-ready>`). */
export async function waitReady(page: Page, timeoutMs = 15_000) {
  await page.waitForSelector("html[data-ready]", { timeout: timeoutMs })
}

/** Console errors and failed requests of a page from now on (CSP violations show up here). */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = []
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text())
  })
  page.on("pageerror", (e) => errors.push(String(e)))
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`))
  return errors
}

/** Saves a PNG under test/artifacts/ and returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  const file = path.join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, "-")}.png`)
  await page.screenshot({ path: file as `${string}.png`, fullPage: false })
  return file
}
