import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { startTestServer, type TestServer } from "../helpers/server"
import { gitRepo, tmpdir } from "../helpers/tmp"
import { until } from "../helpers/wait"
import { getInstance } from "../../src/project/instance"
import { rgPath } from "../../src/file/search"
import { findText } from "../../src/file/find-text"

let s: TestServer
let repo: string
beforeAll(async () => {
  repo = await gitRepo({
    "src/alpha.ts": "const needle = 1\nconst other = 2\n// needle again, needle twice\n",
    "src/beta/gamma.ts": "export function findMe() {}\n",
    "docs/readme.md": "héllo needle ünïcode\n",
    ".hidden/conf.json": '{ "needle": true }\n',
    ".gitignore": "build/\n",
  })
  fs.mkdirSync(path.join(repo, "build"))
  fs.writeFileSync(path.join(repo, "build/needle.js"), "needle\n")
  fs.mkdirSync(path.join(repo, "vendor/nested/.git"), { recursive: true })
  fs.writeFileSync(path.join(repo, "vendor/nested/.git/HEAD"), "needle\n")
  fs.writeFileSync(path.join(repo, "image.bin"), Buffer.from([0, 1, 2, 110, 101, 101, 100, 108, 101]))
  s = await startTestServer({ directory: repo })
})
afterAll(() => s.stop())

const sortMatches = (m: any[]) => [...m].sort((a, b) => a.path.text.localeCompare(b.path.text) || a.line_number - b.line_number)

describe("find.text", () => {
  test("ripgrep-shaped matches with byte offsets; ignored, binary and .git files skipped", async () => {
    const { data, error } = await s.client.find.text({ query: { pattern: "needle" } })
    expect(error).toBeUndefined()
    const matches = sortMatches(data!)
    expect(matches.map((m) => m.path.text)).toEqual([".hidden/conf.json", "docs/readme.md", "src/alpha.ts", "src/alpha.ts"])
    const third = matches.find((m) => m.line_number === 3)!
    expect(third.lines.text).toBe("// needle again, needle twice\n")
    expect(third.absolute_offset).toBe("const needle = 1\nconst other = 2\n".length)
    expect(third.submatches).toEqual([
      { match: { text: "needle" }, start: 3, end: 9 },
      { match: { text: "needle" }, start: 17, end: 23 },
    ])
    const uni = matches.find((m) => m.path.text === "docs/readme.md")!
    expect(uni.submatches[0].start).toBe(Buffer.byteLength("héllo "))
  })

  test("regex patterns work", async () => {
    const { data } = await s.client.find.text({ query: { pattern: "find[A-Z]\\w+" } })
    expect(data!.map((m) => m.submatches[0].match.text)).toEqual(["findMe"])
  })

  test("an invalid regex is a 400 with the reason", async () => {
    const r = await s.client.find.text({ query: { pattern: "foo(" } })
    expect(r.response.status).toBe(400)
    expect((r.error as any).name).toBe("BadRequest")
    expect((r.error as any).data.message).toMatch(/unclosed|regex/i)
  })

  test("no match is an empty list", async () => {
    const { data } = await s.client.find.text({ query: { pattern: "zzz_not_there_zzz" } })
    expect(data).toEqual([])
  })

  test("the built-in fallback gives the same answer as rg", async () => {
    const inst = await getInstance(repo)
    // Anchors mean line start and end, as in rg, also when the match is not on the first line.
    for (const pattern of ["needle", "find[A-Z]\\w+", "o", "^// needle", "twice$"]) {
      const viaRg = (await s.client.find.text({ query: { pattern } })).data!
      const viaJs = await findText(inst, pattern, { walker: true })
      expect(sortMatches(viaJs)).toEqual(sortMatches(viaRg))
    }
    await expect(findText(inst, "foo(", { walker: true })).rejects.toThrow(/Invalid search pattern/)
  })

  test("anchored patterns match on any line, through rg and the walker alike", async () => {
    const inst = await getInstance(repo)
    for (const walker of [false, true]) {
      const found = await findText(inst, "^// needle", { walker })
      expect(found.map((m) => `${m.path.text}:${m.line_number}`)).toEqual(["src/alpha.ts:3"])
    }
  })

  test("rg is found and runs", async () => {
    const rg = await rgPath()
    expect(rg).toBeString()
    expect(Bun.spawnSync([rg!, "--version"]).stdout.toString()).toStartWith("ripgrep")
  })
})

describe("find.files", () => {
  test("fuzzy matches files and directories; directories end with /", async () => {
    const { data } = await s.client.find.files({ query: { query: "gamma" } })
    expect(data![0]).toBe("src/beta/gamma.ts")
    const dirs = (await s.fetch(`/find/file?query=beta&type=directory&directory=${encodeURIComponent(repo)}`).then((r) => r.json())) as string[]
    expect(dirs).toEqual(["src/beta/"])
  })

  test("dirs=false returns files only; ignored files never", async () => {
    const { data } = await s.client.find.files({ query: { query: "e", dirs: "false" } })
    expect(data!.every((p) => !p.endsWith("/"))).toBe(true)
    expect(data!.some((p) => p.startsWith("build/"))).toBe(false)
  })

  test("limit defaults to 10 and is bounded", async () => {
    for (let i = 0; i < 15; i++) fs.writeFileSync(path.join(repo, `many-${i}.txt`), "")
    const many = () => s.fetch(`/find/file?query=many&dirs=false&limit=200&directory=${encodeURIComponent(repo)}`).then((r) => r.json())
    await until(async () => (await many()).length === 15, 3000, "15 results")
    const all = await s.fetch(`/find/file?query=many&dirs=false&directory=${encodeURIComponent(repo)}`).then((r) => r.json())
    expect(all.length).toBe(10)
    const three = await s.fetch(`/find/file?query=many&limit=3&directory=${encodeURIComponent(repo)}`).then((r) => r.json())
    expect(three.length).toBe(3)
    expect((await s.fetch(`/find/file?query=many&limit=0&directory=${encodeURIComponent(repo)}`)).status).toBe(400)
    expect((await s.fetch(`/find/file?query=many&limit=500&directory=${encodeURIComponent(repo)}`)).status).toBe(400)
  })

  test("hidden directories come after visible ones unless asked for", async () => {
    fs.mkdirSync(path.join(repo, "conf"))
    fs.writeFileSync(path.join(repo, "conf/x.txt"), "")
    const q = (query: string) => s.fetch(`/find/file?query=${encodeURIComponent(query)}&type=directory&limit=5&directory=${encodeURIComponent(repo)}`).then((r) => r.json())
    await until(async () => (await q("conf")).includes("conf/"), 3000, "conf/ in the results")
    const dirs = await q("conf")
    expect(dirs.indexOf("conf/")).toBeLessThan(dirs.indexOf(".hidden/") === -1 ? Infinity : dirs.indexOf(".hidden/"))
    expect((await q(".hid"))[0]).toBe(".hidden/")
  })

  test("a new file is found without waiting for a re-index", async () => {
    fs.writeFileSync(path.join(repo, "src/zebra-unique.ts"), "")
    await until(async () => (await s.client.find.files({ query: { query: "zebra-unique" } })).data!.includes("src/zebra-unique.ts"), 3000, "the new file found")
    fs.rmSync(path.join(repo, "src/zebra-unique.ts"))
    await until(async () => !(await s.client.find.files({ query: { query: "zebra-unique" } })).data!.includes("src/zebra-unique.ts"), 3000, "the deleted file gone")
  })
})

describe("find.symbols", () => {
  test("empty list when no language server runs", async () => {
    const { data, error } = await s.sdk(tmpdir()).find.symbols({ query: { query: "x" } })
    expect(error).toBeUndefined()
    expect(data).toEqual([])
  })
})

