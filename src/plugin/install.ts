import fs from "node:fs"
import path from "node:path"
import { Paths } from "../global/paths"
import { childEnv } from "../util/child-env"
import { createLog } from "../util/log"
import { numberSetting } from "../global/settings"

const log = createLog("plugin.install")

const INSTALL_TIMEOUT_MS = numberSetting("OPENCODE_PLUGIN_INSTALL_TIMEOUT_MS", 180_000)

export class PluginInstallError extends Error {}

/** Where npm plugins are installed: one folder per `name@version`, kept across runs. */
export function pluginCacheDir() {
  return path.join(Paths.cache, "plugins")
}

const inflight = new Map<string, Promise<unknown>>()

/**
 * The entry file of an npm plugin, installing it first if this cache has never held it. An
 * installed package is reused as it is, without asking the registry: the server starts
 * offline, and a `latest` plugin moves only when its folder is deleted.
 */
export function installedEntry(name: string, version: string): Promise<{ entry: string; version: string }> {
  const dir = path.join(pluginCacheDir(), `${name}@${version}`.replace(/[\\/]/g, "+"))
  let job = inflight.get(dir) as Promise<{ entry: string; version: string }> | undefined
  if (!job) {
    job = resolveOrInstall(dir, name, version).finally(() => inflight.delete(dir))
    inflight.set(dir, job)
  }
  return job
}

async function resolveOrInstall(dir: string, name: string, version: string): Promise<{ entry: string; version: string }> {
  const manifest = path.join(dir, "node_modules", name, "package.json")
  if (!fs.existsSync(manifest)) await install(dir, name, version)
  try {
    return { entry: Bun.resolveSync(name, dir), version: String(JSON.parse(fs.readFileSync(manifest, "utf8")).version ?? version) }
  } catch (e) {
    throw new PluginInstallError(`${name}@${version} is installed in ${dir} but has no importable entry: ${(e as Error).message}`)
  }
}

/**
 * Installs the dependencies a config folder declares for its plugin and tool files
 * (`.opencode/package.json`), as opencode does, when it has no node_modules yet. An installed
 * folder is left alone: no registry call at start-up.
 */
export async function installFolderDependencies(dir: string): Promise<void> {
  if (!fs.existsSync(path.join(dir, "package.json")) || fs.existsSync(path.join(dir, "node_modules"))) return
  let job = inflight.get(dir) as Promise<string> | undefined
  if (!job) {
    job = runBun(dir, ["install"], `the dependencies in ${path.join(dir, "package.json")}`)
      .then(() => dir)
      .finally(() => inflight.delete(dir))
    inflight.set(dir, job)
  }
  await job
}

async function install(dir: string, name: string, version: string) {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "opencode-plugin-cache", private: true }) + "\n")
  try {
    await runBun(dir, ["add", `${name}@${version}`], `${name}@${version}`)
  } catch (e) {
    // A failed install must not pass for a good one next time.
    fs.rmSync(path.join(dir, "node_modules", name), { recursive: true, force: true })
    throw e
  }
  if (!fs.existsSync(path.join(dir, "node_modules", name, "package.json")))
    throw new PluginInstallError(`installing ${name}@${version} left no node_modules/${name} in ${dir}`)
}

async function runBun(dir: string, args: string[], what: string) {
  log.info("installing from the npm registry", { what, dir })
  const started = Date.now()
  // The server is its own package manager: a compiled executable acts as the bun CLI when
  // BUN_BE_BUN is set, and from source process.execPath is bun already. No other tool needed.
  const proc = Bun.spawn([process.execPath, ...args], {
    cwd: dir,
    env: childEnv({ BUN_BE_BUN: "1" }),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  })
  const timer = setTimeout(() => proc.kill("SIGKILL"), INSTALL_TIMEOUT_MS)
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]).finally(() =>
    clearTimeout(timer),
  )
  if (code !== 0) {
    const why = proc.signalCode ? `stopped after ${INSTALL_TIMEOUT_MS / 1000} s` : `exit code ${code}`
    const tail = (err.trim() || out.trim()).split("\n").slice(-5).join("\n")
    throw new PluginInstallError(`installing ${what} from the npm registry failed (${why})${tail ? `: ${tail}` : ""}`)
  }
  log.info("installed", { what, ms: Date.now() - started })
}
