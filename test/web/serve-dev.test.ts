// Running from source, the server bundles web/ itself: on the first page request, and again
// on the next page load after a file under web/ changed. Driven on a copy of the repository's
// src/ and web/, so the test never edits the checkout.
import { test, expect, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { ROOT, spawnServe, reap, type ServeProcess } from "../cli/serve-process"
import { tmpdir } from "../helpers/tmp"

const running: ServeProcess[] = []
afterAll(() => reap(running))

test("an edit under web/ shows on the next page load, under a new asset name", async () => {
  const copy = tmpdir("web-dev-")
  for (const d of ["src", "web"]) fs.cpSync(path.join(ROOT, d), path.join(copy, d), { recursive: true })
  fs.copyFileSync(path.join(ROOT, "package.json"), path.join(copy, "package.json"))
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"))
  const s = await spawnServe([process.execPath, path.join(copy, "src/index.ts"), "serve", "--port", "0"], { timeoutMs: 20_000 })
  running.push(s)

  const page = async () => {
    const html = await (await fetch(s.base + "/", { headers: { accept: "text/html" } })).text()
    const script = html.match(/src="\.\/(assets\/[^"]+\.js)"/)![1]
    return { script, js: await (await fetch(`${s.base}/${script}`)).text() }
  }
  const before = await page()
  expect(before.js).not.toContain("edited-while-running")
  // mtime resolution differs between file systems: make the edit unmistakably newer.
  const main = fs.readdirSync(path.join(copy, "web/src")).find((f) => /^main\.tsx?$/.test(f))!
  const file = path.join(copy, "web/src", main)
  fs.appendFileSync(file, '\nconsole.info("edited-while-running")\n')
  const later = new Date(Date.now() + 2000)
  fs.utimesSync(file, later, later)

  const after = await page()
  expect(after.script).not.toBe(before.script)
  expect(after.js).toContain("edited-while-running")
}, 60_000)
