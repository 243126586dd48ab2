// A private npm registry on loopback (verdaccio, a devDependency), with no uplink: nothing
// published or installed here ever reaches the public registry.
import fs from "node:fs"
import net from "node:net"
import path from "node:path"
import { ROOT } from "./fixture"
import { tmpdir } from "../helpers/tmp"

export type Registry = { url: string; npmrc: string; cache: string; stop: () => void; log: () => string }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

export const VERDACCIO = path.join(ROOT, "node_modules/verdaccio/bin/verdaccio")

/** The environment for npm: ours, without anything the npm running the suite passed down. */
export function npmEnv(extra: Record<string, string> = {}) {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v
  return { ...env, ...extra }
}

export async function startRegistry(): Promise<Registry> {
  const dir = tmpdir("verdaccio-")
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  fs.writeFileSync(
    path.join(dir, "config.yaml"),
    [
      `storage: ${path.join(dir, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${path.join(dir, "htpasswd")}`,
      "uplinks: {}",
      "packages:",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      // A platform package is ~60 MB, sent base64-encoded inside JSON.
      "max_body_size: 300mb",
      "web:",
      "  enable: false",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  )
  const proc = Bun.spawn(["node", VERDACCIO, "--config", path.join(dir, "config.yaml"), "--listen", `127.0.0.1:${port}`], {
    cwd: dir,
    env: npmEnv(),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  })
  let output = ""
  for (const stream of [proc.stdout, proc.stderr])
    (async () => {
      const reader = stream.getReader()
      for (let r = await reader.read(); !r.done; r = await reader.read()) output += new TextDecoder().decode(r.value)
    })()
  const deadline = Date.now() + 30_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`verdaccio exited with ${proc.exitCode}:\n${output}`)
    const ok = await fetch(`${url}/-/ping`).then((r) => r.ok, () => false)
    if (ok) break
    if (Date.now() > deadline) {
      proc.kill("SIGKILL")
      throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${output}`)
    }
    await Bun.sleep(200)
  }
  // A user for publishing: verdaccio's htpasswd plugin signs one up on first login.
  const res = await fetch(`${url}/-/user/org.couchdb.user:release-test`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "release-test", password: "release-test-password" }),
  })
  if (!res.ok) throw new Error(`verdaccio refused the test user: ${res.status} ${await res.text()}`)
  const { token } = (await res.json()) as { token: string }
  const npmrc = path.join(dir, ".npmrc")
  fs.writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\naudit=false\nfund=false\nupdate-notifier=false\n`)
  return { url, npmrc, cache: path.join(dir, "npm-cache"), stop: () => proc.kill("SIGKILL"), log: () => output }
}

/** Runs npm against the registry; rejects with its output when it fails. */
export async function npm(reg: Registry, args: string[], cwd: string) {
  const proc = Bun.spawn(["npm", ...args, "--userconfig", reg.npmrc, "--cache", reg.cache, "--registry", `${reg.url}/`], {
    cwd,
    env: npmEnv(),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new Error(`npm ${args.join(" ")} failed (${code}):\n${err}${out}\n${reg.log()}`)
  return out + err
}
