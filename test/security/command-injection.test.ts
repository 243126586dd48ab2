import { describe, test, expect, beforeAll, afterAll } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { expandCommand } from "../../src/session/command-template"
import { startHarness, project, type Harness } from "../helpers/harness"
import { tmpdir } from "../helpers/tmp"

// A command file is trusted config: its own !`cmd` runs. The `arguments` of a request are not:
// whoever types them (or pastes an issue title into them) must never get a shell command run.

const run = (template: string, args: string, cwd: string) => expandCommand(template, args, cwd, new AbortController().signal)

describe("expandCommand", () => {
  let dir: string
  beforeAll(() => {
    dir = tmpdir("inject-")
  })
  const marker = (name: string) => path.join(dir, name)

  test("arguments that spell !`cmd` stay text", async () => {
    const text = await run("Say: $ARGUMENTS", "!`touch " + marker("m1") + "`", dir)
    expect(text).toBe("Say: !`touch " + marker("m1") + "`")
    const appended = await run("Explain", "!`touch " + marker("m2") + "`", dir)
    expect(appended).toBe("Explain\n\n!`touch " + marker("m2") + "`")
    const numbered = await run("A $1 B $2", "!`touch " + marker("m3") + "` x", dir)
    expect(numbered).toContain("!`touch")
    expect(["m1", "m2", "m3"].filter((m) => fs.existsSync(marker(m)))).toEqual([])
  })

  test("arguments inside the template's !`cmd` reach it as one literal word each", async () => {
    const evil = [`x; touch ${marker("s1")}`, `$(touch ${marker("s2")})`, "`touch " + marker("s3") + "`", `it's'; touch ${marker("s4")}; echo '`]
    for (const arg of evil) {
      const text = await run("Got: !`printf '%s' $1`", JSON.stringify(arg), dir)
      expect(text).toBe(`Got: ${arg}`)
      const all = await run("All: !`printf '%s' $ARGUMENTS`", arg, dir)
      expect(all).toBe(`All: ${arg.trim()}`)
    }
    expect(["s1", "s2", "s3", "s4"].filter((m) => fs.existsSync(marker(m)))).toEqual([])
  })

  test("the template's own shell commands still run, with words split as before", async () => {
    expect(await run("Branch: !`printf feature-%s x`", "", dir)).toBe("Branch: feature-x")
    expect(await run("!`printf '%s|' $1 $2`", `a "b c" d`, dir)).toBe("a|b c|d|")
    expect(await run("Review $1: !`printf '[%s]' $1`", "src/a.ts", dir)).toBe("Review src/a.ts: [src/a.ts]")
  })
})

describe("POST /session/:id/command", () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h.server.stop()
    await h.llm.stop()
  })

  test("a client's arguments never run in the shell", async () => {
    const dir = project(h.llm, { extra: { command: { say: { template: "Say: $ARGUMENTS" }, log: { template: "Log: !`echo $1`" } } } })
    const c = h.server.sdk(dir)
    const s = (await c.session.create({ body: {} })).data!
    h.llm.enqueue({ text: "ok" }, { text: "ok" })
    const one = path.join(dir, "pwned-1")
    const two = path.join(dir, "pwned-2")
    expect((await c.session.command({ path: { id: s.id }, body: { command: "say", arguments: "!`touch " + one + "`" } })).error).toBeUndefined()
    expect((await c.session.command({ path: { id: s.id }, body: { command: "log", arguments: `"x; touch ${two}"` } })).error).toBeUndefined()
    expect(fs.existsSync(one)).toBe(false)
    expect(fs.existsSync(two)).toBe(false)
    expect(JSON.stringify(h.llm.requests.at(-1).messages)).toContain(`Log: x; touch ${two}`)
  })
})
