import { expect, test } from "bun:test"
import { clonePath, parseRepository, validBranch } from "../../src/v2/repository"

// The repository forms a config reference may use, and where each one's clone lives.

test("shorthands, hosts, scp-style and URLs reduce to host and path", () => {
  const cases: Array<[string, string, string[], string]> = [
    ["acme/widgets", "github.com", ["acme", "widgets"], "https://github.com/acme/widgets.git"],
    ["github:acme/widgets", "github.com", ["acme", "widgets"], "https://github.com/acme/widgets.git"],
    ["gitlab.com/group/sub/proj", "gitlab.com", ["group", "sub", "proj"], "https://gitlab.com/group/sub/proj.git"],
    ["git@github.com:acme/widgets.git", "github.com", ["acme", "widgets"], "git@github.com:acme/widgets.git"],
    ["https://github.com/acme/widgets.git/", "github.com", ["acme", "widgets"], "https://github.com/acme/widgets.git"],
    ["git+https://Example.org:8443/a/b#main", "example.org:8443", ["a", "b"], "https://Example.org:8443/a/b"],
  ]
  for (const [input, host, segments, remote] of cases) expect(parseRepository(input)).toEqual({ host, segments, remote })
})

test("local paths, file URLs and unsafe names are not repositories", () => {
  for (const bad of ["", "widgets", "file:///srv/repo", "ext::sh -c touch% /tmp/pwned", "-evil.com/a/b", "host.com/../etc", "a b/c"])
    expect(parseRepository(bad)).toBeUndefined()
})

test("clone paths: host port and pinned branch are part of the name", () => {
  const repo = parseRepository("https://example.org:8443/a/b")!
  expect(clonePath("/r", repo)).toBe("/r/example.org/8443/a/b")
  expect(clonePath("/r", parseRepository("acme/w")!, "release/1.x")).toBe("/r/github.com/acme/w@release%2F1.x")
  expect(validBranch("release/1.x")).toBe(true)
  for (const bad of ["-x", "a..b", "a b", "a;b"]) expect(validBranch(bad)).toBe(false)
})
