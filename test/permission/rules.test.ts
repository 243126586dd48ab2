import { describe, expect, test } from "bun:test"
import os from "node:os"
import { match } from "../../src/permission/wildcard"
import { evaluate, evaluateAll, fromConfig, ruleset, summarize } from "../../src/permission/rules"

describe("wildcard", () => {
  test("* spans anything, ? one character, the rest is literal", () => {
    expect(match("git status --short", "git *")).toBe(true)
    expect(match("gitk", "git *")).toBe(false)
    expect(match("rm -rf /tmp/x", "rm *")).toBe(true)
    expect(match("a.ts", "?.ts")).toBe(true)
    expect(match("ab.ts", "?.ts")).toBe(false)
    expect(match("axts", "a.ts")).toBe(false)
    expect(match("src/deep/file.ts", "src/*")).toBe(true)
    expect(match("(echo)", "(echo)")).toBe(true)
    expect(match("line1\nline2", "line1*")).toBe(true)
  })
  test('a trailing " *" also covers the bare command', () => {
    expect(match("git status", "git status *")).toBe(true)
    expect(match("git statusx", "git status *")).toBe(false)
  })
  test("~/ expands to the home directory", () => {
    expect(match(os.homedir() + "/notes/a.md", "~/notes/*")).toBe(true)
  })
})

describe("rules", () => {
  test("defaults: edit, bash, webfetch allowed; external_directory and doom_loop ask", () => {
    const r = ruleset(undefined, undefined)
    expect(evaluate(r, "edit", "src/a.ts")).toBe("allow")
    expect(evaluate(r, "bash", "rm -rf /")).toBe("allow")
    expect(evaluate(r, "webfetch", "https://x")).toBe("allow")
    expect(evaluate(r, "external_directory", "/etc")).toBe("ask")
    expect(evaluate(r, "doom_loop", "*")).toBe("ask")
  })

  test("the most specific pattern wins whatever the order; agent rules win ties with config rules", () => {
    const config = { bash: { "*": "ask", "git *": "allow", "git push *": "deny" }, edit: "deny" }
    const r = ruleset(config, undefined)
    expect(evaluate(r, "bash", "ls -la")).toBe("ask")
    expect(evaluate(r, "bash", "git log")).toBe("allow")
    expect(evaluate(r, "bash", "git push origin main")).toBe("deny")
    expect(evaluate(r, "edit", "x")).toBe("deny")
    const withAgent = ruleset(config, { edit: "allow", bash: { "git push *": "ask" } })
    expect(evaluate(withAgent, "edit", "x")).toBe("allow")
    expect(evaluate(withAgent, "bash", "git push")).toBe("ask")
    expect(evaluate(withAgent, "bash", "git log")).toBe("allow")
    // Specific before catch-all: the specific rule still decides.
    const reversed = ruleset({ bash: { "git push *": "deny", "git *": "allow", "*": "ask" } }, { bash: { "*": "allow" } })
    expect(evaluate(reversed, "bash", "git push -f")).toBe("deny")
    expect(evaluate(reversed, "bash", "git status")).toBe("allow")
    expect(evaluate(reversed, "bash", "make")).toBe("allow")
    // A config path rule survives an agent that only says edit: allow.
    const paths = ruleset({ edit: { "*.env": "deny" } }, { edit: "allow" })
    expect(evaluate(paths, "edit", "prod.env")).toBe("deny")
    expect(evaluate(paths, "edit", "a.ts")).toBe("allow")
  })

  test("a single action string applies to every type; bad values are ignored", () => {
    const r = ruleset("ask", undefined)
    expect(evaluate(r, "edit", "x")).toBe("ask")
    expect(evaluate(r, "webfetch", "x")).toBe("ask")
    expect(fromConfig({ edit: "maybe", bash: { "*": 3 } })).toEqual([])
  })

  test("several subjects: any deny denies, else any ask asks", () => {
    const r = ruleset({ bash: { "*": "allow", "curl *": "ask", "rm *": "deny" } }, undefined)
    expect(evaluateAll(r, "bash", ["ls", "cat x"])).toEqual({ action: "allow" })
    expect(evaluateAll(r, "bash", ["ls", "curl x"])).toEqual({ action: "ask", subject: "curl x" })
    expect(evaluateAll(r, "bash", ["curl x", "rm y"])).toEqual({ action: "deny", subject: "rm y" })
  })

  test("summarize gives the SDK Agent.permission view", () => {
    const s = summarize(ruleset({ edit: "ask", bash: { "*": "ask", "git *": "allow" } }, undefined))
    expect(s).toEqual({ edit: "ask", bash: { "*": "ask", "git *": "allow" }, webfetch: "allow", doom_loop: "ask", external_directory: "ask" })
  })
})
