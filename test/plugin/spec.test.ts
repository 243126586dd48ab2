import { test, expect } from "bun:test"
import { parseSpec } from "../../src/plugin/spec"

test("plugin entries: names, versions, scopes, file URLs, paths and options", () => {
  expect(parseSpec("opencode-wakatime", "/p")).toEqual({ kind: "npm", name: "opencode-wakatime", version: "latest", options: {}, label: "opencode-wakatime" })
  expect(parseSpec("oh-my-opencode@3.1.0", "/p")).toMatchObject({ kind: "npm", name: "oh-my-opencode", version: "3.1.0" })
  expect(parseSpec("@scope/pkg", "/p")).toMatchObject({ kind: "npm", name: "@scope/pkg", version: "latest" })
  expect(parseSpec("@scope/pkg@^1.2", "/p")).toMatchObject({ kind: "npm", name: "@scope/pkg", version: "^1.2" })
  expect(parseSpec(["pkg@1.0.0", { key: "v" }], "/p")).toMatchObject({ kind: "npm", name: "pkg", version: "1.0.0", options: { key: "v" } })
  expect(parseSpec("file:///abs/plugin.ts", "/p")).toMatchObject({ kind: "file", file: "/abs/plugin.ts", label: "file:///abs/plugin.ts" })
  expect(parseSpec("./local/plugin.ts", "/p")).toMatchObject({ kind: "file", file: "/p/local/plugin.ts" })
  expect(() => parseSpec("not a name", "/p")).toThrow("not a valid npm package name")
  expect(() => parseSpec(["pkg", "opts"], "/p")).toThrow("options (second item) must be an object")
  expect(() => parseSpec(42, "/p")).toThrow("expected a package name")
})
