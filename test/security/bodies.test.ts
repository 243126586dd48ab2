import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { startTestServer, type TestServer } from "../helpers/server"

// A body that is there must be usable: on every route that takes one, `null`, arrays, wrong
// types, truncated JSON, non-JSON under a JSON content type, forms and prototype keys get a
// 400 naming the body, never a success with a side effect the client did not ask for (POST
// /session and POST /pty used to take `null` and `{"soak": ` as no body). No body, or an
// empty one, still means "no body" where the body is optional.

let s: TestServer
let spec: any
beforeAll(async () => {
  s = await startTestServer()
  spec = await (await s.fetch("/doc/json")).json()
})
afterAll(() => s.stop())

/** An id no such thing has, in the form the parameter takes, so the body is what gets checked. */
function placeholder(schema: any) {
  const pattern = deref(schema).pattern
  const candidates = ["ses", "msg", "prt", "pty", "per", "que", "prj"].map((p) => `${p}_nonexistent0000000000000`)
  return (pattern && candidates.find((c) => new RegExp(pattern).test(c))) || candidates[0]
}
type Variant = { label: string; body: string; type?: string; jsonType?: string }

const VARIANTS: Variant[] = [
  { label: "null", body: "null", jsonType: "null" },
  { label: "an array", body: "[1,2]", jsonType: "array" },
  { label: "an empty array", body: "[]", jsonType: "array" },
  { label: "a number", body: "42", jsonType: "number" },
  { label: "a string", body: '"x"', jsonType: "string" },
  { label: "a boolean", body: "true", jsonType: "boolean" },
  { label: "truncated JSON", body: '{"soak": ' },
  { label: "non-JSON with a JSON content type", body: "hello there" },
  { label: "truncated JSON as text/plain", body: '{"soak": ', type: "text/plain" },
  { label: "a form", body: "title=x&a=b", type: "application/x-www-form-urlencoded" },
  { label: "multipart", body: '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--b--\r\n', type: "multipart/form-data; boundary=b" },
  { label: "a __proto__ key", body: '{"__proto__": {"polluted": "x"}}' },
  { label: "a constructor.prototype key", body: '{"constructor": {"prototype": {"polluted": "x"}}}' },
  { label: "a nested prototype key", body: '{"a": [{"b": {"prototype": 1}}]}' },
]

function deref(schema: any): any {
  if (schema?.$ref) return deref(spec.components.schemas[schema.$ref.split("/").pop()])
  return schema ?? {}
}

/** The JSON types a schema admits; undefined when it admits anything. */
function jsonTypes(schema: any): Set<string> | undefined {
  const s = deref(schema)
  const branches = s.anyOf ?? s.oneOf
  if (branches) {
    const out = new Set<string>()
    for (const b of branches) {
      const t = jsonTypes(b)
      if (!t) return undefined
      for (const x of t) out.add(x)
    }
    return out
  }
  if ("const" in s) return new Set([s.const === null ? "null" : typeof s.const])
  if (s.enum) return new Set(s.enum.map((v: unknown) => (v === null ? "null" : typeof v)))
  if (!s.type) return s.properties ? new Set(["object"]) : undefined
  const types = new Set<string>((Array.isArray(s.type) ? s.type : [s.type]).map((t: string) => (t === "integer" ? "number" : t)))
  return types
}

const WRONG: Array<[string, unknown]> = [
  ["number", 12345],
  ["string", "not-the-right-type"],
  ["object", { wrong: 1 }],
  ["boolean", true],
  ["array", [1]],
]

/** Bodies of the right shape with one field of the wrong type each, and {} when fields are required. */
function wrongTypeBodies(bodySchema: any): Variant[] {
  const s = deref(bodySchema)
  const out: Variant[] = []
  if (s.required?.length) out.push({ label: "{} without the required fields", body: "{}" })
  for (const [name, prop] of Object.entries<any>(s.properties ?? {})) {
    const allowed = jsonTypes(prop)
    if (!allowed) continue
    const wrong = WRONG.find(([t]) => !allowed.has(t))
    if (wrong) out.push({ label: `field '${name}' of the wrong type`, body: JSON.stringify({ [name]: wrong[1] }) })
  }
  return out
}

function operations() {
  const out: Array<{ method: string; route: string; url: string; body: any }> = []
  for (const [route, ops] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      if (method === "get" || method === "head") continue
      const query = (op.parameters ?? [])
        .filter((p: any) => p.in === "query" && p.required)
        .map((p: any) => `${p.name}=${jsonTypes(p.schema)?.has("number") ? 1 : "x"}`)
      const url = route.replace(/\{([^}]+)\}/g, (_, name) => placeholder(op.parameters?.find((p: any) => p.in === "path" && p.name === name)?.schema)) + (query.length ? `?${query.join("&")}` : "")
      out.push({ method: method.toUpperCase(), route, url, body: op.requestBody?.content?.["application/json"]?.schema })
    }
  }
  return out
}

async function counts() {
  const sessions = (await s.client.session.list()).data!.length
  const ptys = (await s.client.pty.list()).data!.length
  return { sessions, ptys }
}

describe("every operation in /doc that takes a body", () => {
  test("refuses each malformed body with a 400 naming the body, and nothing happens", async () => {
    const before = await counts()
    const failures: string[] = []
    let tried = 0
    const ops = operations().filter((o) => o.body)
    expect(ops.length).toBeGreaterThan(25)
    for (const op of ops) {
      const anyJson = jsonTypes(op.body)
      const variants = [...VARIANTS.filter((v) => !v.jsonType || (anyJson && !anyJson.has(v.jsonType))), ...wrongTypeBodies(op.body)]
      for (const v of variants) {
        const r = await s.fetch(op.url, {
          method: op.method,
          headers: { "content-type": v.type ?? "application/json", "x-opencode-directory": s.directory },
          body: v.body,
        })
        tried++
        const text = await r.text()
        let err: any
        try {
          err = JSON.parse(text)
        } catch {}
        const kind = err?.data?.kind ?? (err?.name === "ConfigInvalidError" ? "Body" : undefined)
        if (r.status !== 400 || kind !== "Body" || typeof err?.data?.message !== "string")
          failures.push(`${op.method} ${op.route} [${v.label}] -> ${r.status} ${text.slice(0, 160)}`)
      }
    }
    expect(failures).toEqual([])
    expect(tried).toBeGreaterThan(300)
    expect(await counts()).toEqual(before)
    expect((await s.fetch("/global/health")).status).toBe(200)
  }, 60_000)
})

describe("every operation in /doc", () => {
  test("a body where none is taken, malformed or not, never gets a 5xx", async () => {
    const failures: string[] = []
    for (const op of operations().filter((o) => !o.body)) {
      for (const v of VARIANTS) {
        const r = await s.fetch(op.url, { method: op.method, headers: { "content-type": v.type ?? "application/json", "x-opencode-directory": s.directory }, body: v.body })
        if (r.status >= 500) failures.push(`${op.method} ${op.route} [${v.label}] -> ${r.status} ${(await r.text()).slice(0, 160)}`)
        else await r.arrayBuffer()
      }
    }
    expect(failures).toEqual([])
    expect((await s.fetch("/global/health")).status).toBe(200)
  }, 60_000)
})

describe("an optional body", () => {
  const post = (path: string, init: RequestInit = {}) => s.fetch(path, { method: "POST", ...init, headers: { "x-opencode-directory": s.directory, ...(init.headers ?? {}) } })

  test("absent, empty or only whitespace, with or without a JSON content type, is no body", async () => {
    const base = (await s.client.session.create({ body: { title: "base" } })).data!
    for (const init of [{}, { body: "" }, { body: "", headers: { "content-type": "application/json" } }, { body: " \n", headers: { "content-type": "application/json" } }]) {
      const created = await post("/session", init)
      expect(created.status).toBe(200)
      expect((await created.json()).title).toStartWith("New session")
      const forked = await post(`/session/${base.id}/fork`, init)
      expect(forked.status).toBe(200)
      const pty = await post("/pty", init)
      expect(pty.status).toBe(200)
      await s.client.pty.remove({ path: { id: (await pty.json()).id } })
    }
    // The SDK sends none at all.
    expect((await s.client.session.create()).response.status).toBe(200)
  })

  test("JSON sent as text/plain or with no content type (fetch's and curl's defaults) is read as JSON", async () => {
    const plain = await post("/session", { body: JSON.stringify({ title: "from plain text" }) })
    expect(plain.status).toBe(200)
    expect((await plain.json()).title).toBe("from plain text")
    const typed = await post("/session", { body: JSON.stringify({ title: "typed" }), headers: { "content-type": "application/merge-patch+json" } })
    expect((await typed.json()).title).toBe("typed")
  })

  test("a malformed body on POST /session names what was wrong", async () => {
    const r = await post("/session", { body: '{"soak": ', headers: { "content-type": "application/json" } })
    expect(r.status).toBe(400)
    const err = await r.json()
    expect(err.name).toBe("BadRequest")
    expect(err.data.message).toContain("not valid JSON")
    const proto = await post("/session", { body: '{"title": "x", "meta": {"__proto__": {"admin": true}}}', headers: { "content-type": "application/json" } })
    expect(proto.status).toBe(400)
    expect((await proto.json()).data.message).toContain("'meta.__proto__'")
  })
})

test("the spec documents bodies as JSON, required only where they are", () => {
  expect(Object.keys(spec.paths["/session"].post.requestBody.content)).toEqual(["application/json"])
  expect(spec.paths["/session"].post.requestBody.required).toBeUndefined()
  expect(spec.paths["/session/{sessionID}/message"].post.requestBody.required).toBe(true)
})
