import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { getInstance } from "../../src/project/instance"
import * as Snapshot from "../../src/snapshot/snapshot"
import { shadowOf } from "../../src/snapshot/shadow"
import { MAX_FILE_BYTES } from "../../src/snapshot/exclude"
import { Paths } from "../../src/global/paths"
import { gitIn, gitRepo, tmpdir } from "../helpers/tmp"

const write = (dir: string, rel: string, content: string | Uint8Array) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
  fs.writeFileSync(path.join(dir, rel), content)
}
const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel))

/** Every file under .git with its mtime and size: proof the project's repository was not written. */
function fingerprint(gitDir: string) {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else {
        const st = fs.statSync(p)
        out.push(`${path.relative(gitDir, p)} ${st.size} ${st.mtimeMs}`)
      }
    }
  }
  walk(gitDir)
  return out.sort().join("\n")
}

describe("snapshot in a git project", () => {
  test("track / patch / diff / revert round-trip byte for byte, project .git untouched", async () => {
    const dir = await gitRepo({ "README.md": "hello\n", "src/a.ts": "export const a = 1\n", ".gitignore": "dist/\n" })
    write(dir, "untracked.txt", "not committed\n")
    write(dir, "dist/out.js", "ignored build output\n")
    const status = await gitIn(dir, "--no-optional-locks", "status", "--porcelain", "--ignored")
    const before = fingerprint(path.join(dir, ".git"))
    const inst = await getInstance(dir)

    const h0 = (await Snapshot.track(inst))!
    expect(h0).toMatch(/^[0-9a-f]{40}$/)
    expect(shadowOf(inst).gitDir.startsWith(path.join(Paths.data, "snapshot"))).toBe(true)

    // a step: edit, create (with CRLF and binary bytes), delete, and touch an ignored file
    const binary = new Uint8Array([0, 1, 2, 255, 13, 10, 0])
    write(dir, "src/a.ts", "export const a = 2\r\nexport const b = 3\r\n")
    write(dir, "src/new/b.bin", binary)
    fs.rmSync(path.join(dir, "untracked.txt"))
    write(dir, "dist/out.js", "rebuilt\n")

    const p = await Snapshot.patch(inst, h0)
    expect(p.hash).toBe(h0)
    expect(p.files.sort()).toEqual([path.join(dir, "src/a.ts"), path.join(dir, "src/new/b.bin"), path.join(dir, "untracked.txt")].sort())

    const diffs = await Snapshot.diff(inst, h0)
    const byFile = Object.fromEntries(diffs.map((d) => [d.file, d]))
    expect(Object.keys(byFile).sort()).toEqual(["src/a.ts", "src/new/b.bin", "untracked.txt"])
    expect(byFile["src/a.ts"]).toMatchObject({ before: "export const a = 1\n", after: "export const a = 2\r\nexport const b = 3\r\n", additions: 2, deletions: 1 })
    expect(byFile["untracked.txt"]).toMatchObject({ before: "not committed\n", after: "", additions: 0, deletions: 1 })
    expect(byFile["src/new/b.bin"]).toMatchObject({ before: "", after: "", additions: 0, deletions: 0 })

    const h1 = (await Snapshot.track(inst))!
    expect(h1).not.toBe(h0)
    expect((await Snapshot.diff(inst, h0, h1)).map((d) => d.file).sort()).toEqual(["src/a.ts", "src/new/b.bin", "untracked.txt"])

    await Snapshot.revert(inst, [p])
    expect(read(dir, "src/a.ts").toString()).toBe("export const a = 1\n")
    expect(fs.existsSync(path.join(dir, "src/new/b.bin"))).toBe(false)
    expect(read(dir, "untracked.txt").toString()).toBe("not committed\n")
    // ignored files are not ours to revert
    expect(read(dir, "dist/out.js").toString()).toBe("rebuilt\n")
    expect(await Snapshot.diff(inst, h0)).toEqual([])

    // restore re-applies the step exactly
    await Snapshot.restore(inst, h1)
    expect(read(dir, "src/a.ts").toString()).toBe("export const a = 2\r\nexport const b = 3\r\n")
    expect(new Uint8Array(read(dir, "src/new/b.bin"))).toEqual(binary)

    await Snapshot.revert(inst, [p])
    expect(await gitIn(dir, "--no-optional-locks", "status", "--porcelain", "--ignored")).toBe(status)
    expect(fingerprint(path.join(dir, ".git"))).toBe(before)
  })

  test("revert with several patches: the earliest state of a file wins", async () => {
    const dir = await gitRepo({ "f.txt": "v1\n" })
    const inst = await getInstance(dir)
    const h0 = (await Snapshot.track(inst))!
    write(dir, "f.txt", "v2\n")
    const p1 = await Snapshot.patch(inst, h0)
    const h1 = (await Snapshot.track(inst))!
    write(dir, "f.txt", "v3\n")
    write(dir, "g.txt", "new\n")
    const p2 = await Snapshot.patch(inst, h1)
    await Snapshot.revert(inst, [p1, p2])
    expect(read(dir, "f.txt").toString()).toBe("v1\n")
    expect(fs.existsSync(path.join(dir, "g.txt"))).toBe(false)
  })

  test("odd file names and symlinks round-trip", async () => {
    const dir = await gitRepo({ "we[ir]d *.txt": "glob chars\n", "sp ace/ü.md": "unicode\n" })
    fs.symlinkSync("we[ir]d *.txt", path.join(dir, "link"))
    const inst = await getInstance(dir)
    const h0 = (await Snapshot.track(inst))!
    write(dir, "we[ir]d *.txt", "changed\n")
    fs.rmSync(path.join(dir, "sp ace/ü.md"))
    fs.rmSync(path.join(dir, "link"))
    write(dir, "*", "a file named star\n")
    const p = await Snapshot.patch(inst, h0)
    expect(p.files.map((f) => path.relative(dir, f)).sort()).toEqual(["*", "link", "sp ace/ü.md", "we[ir]d *.txt"])
    await Snapshot.revert(inst, [p])
    expect(read(dir, "we[ir]d *.txt").toString()).toBe("glob chars\n")
    expect(read(dir, "sp ace/ü.md").toString()).toBe("unicode\n")
    expect(fs.readlinkSync(path.join(dir, "link"))).toBe("we[ir]d *.txt")
    expect(fs.existsSync(path.join(dir, "*"))).toBe(false)
  })

  test("project attributes and user git config cannot alter bytes", async () => {
    const dir = await gitRepo({ ".gitattributes": "* text eol=crlf\n*.txt filter=boom\n", "x.txt": "a\nb\n" })
    const inst = await getInstance(dir)
    const h0 = (await Snapshot.track(inst))!
    write(dir, "x.txt", "changed\n")
    await Snapshot.revert(inst, [await Snapshot.patch(inst, h0)])
    expect(read(dir, "x.txt").toString()).toBe("a\nb\n")
  })

  test("files above the size cap are left out", async () => {
    const dir = await gitRepo()
    const inst = await getInstance(dir)
    const h0 = (await Snapshot.track(inst))!
    write(dir, "big.bin", new Uint8Array(MAX_FILE_BYTES + 1))
    write(dir, "small.txt", "s\n")
    const p = await Snapshot.patch(inst, h0)
    expect(p.files).toEqual([path.join(dir, "small.txt")])
  })
})

describe("shadow repository upkeep", () => {
  test("a daily gc packs objects and keeps recent snapshots usable", async () => {
    const dir = await gitRepo({ "a.txt": "a\n" })
    const inst = await getInstance(dir)
    const h0 = (await Snapshot.track(inst))!
    const { gitDir } = shadowOf(inst)
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000)
    fs.utimesSync(path.join(gitDir, "last-gc"), dayAgo, dayAgo)
    write(dir, "a.txt", "b\n")
    await Snapshot.track(inst)
    // patch() queues behind the gc, so by now it has run.
    const p = await Snapshot.patch(inst, h0)
    expect(fs.readdirSync(path.join(gitDir, "objects", "pack")).some((f) => f.endsWith(".pack"))).toBe(true)
    expect(fs.statSync(path.join(gitDir, "last-gc")).mtimeMs).toBeGreaterThan(dayAgo.getTime() + 1000)
    await Snapshot.revert(inst, [p])
    expect(read(dir, "a.txt").toString()).toBe("a\n")
  })
})

describe("snapshot in a non-git project", () => {
  test("works, keyed by worktree, and creates no .git in the project", async () => {
    const dir = tmpdir("plain-")
    write(dir, "notes.md", "one\n")
    const inst = await getInstance(dir)
    expect(inst.project.id).toBe("global")
    const h0 = (await Snapshot.track(inst))!
    expect(h0).toMatch(/^[0-9a-f]{40}$/)
    write(dir, "notes.md", "two\n")
    write(dir, "added.md", "new\n")
    const p = await Snapshot.patch(inst, h0)
    expect(p.files.sort()).toEqual([path.join(dir, "added.md"), path.join(dir, "notes.md")])
    const d = await Snapshot.diff(inst, h0)
    expect(d.find((x) => x.file === "notes.md")).toMatchObject({ before: "one\n", after: "two\n", additions: 1, deletions: 1 })
    await Snapshot.revert(inst, [p])
    expect(read(dir, "notes.md").toString()).toBe("one\n")
    expect(fs.existsSync(path.join(dir, "added.md"))).toBe(false)
    expect(fs.existsSync(path.join(dir, ".git"))).toBe(false)

    const other = tmpdir("plain-")
    expect(shadowOf(await getInstance(other)).gitDir).not.toBe(shadowOf(inst).gitDir)
  })
})
