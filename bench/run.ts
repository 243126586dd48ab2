// Runs every benchmark in turn (`npm run bench`); each prints its figures and saves them
// under bench/results/.
import path from "node:path"

const BENCHES = ["foundation.ts", "soak.ts", "session-steps.ts", "session-history.ts", "compaction.ts", "file-search.ts", "file-watcher.ts", "events-bodies.ts", "web.ts", "npm-launcher.ts", "catalog.ts", "plugin-hooks.ts"]

for (const file of BENCHES) {
  const p = Bun.spawn([process.execPath, path.join(import.meta.dir, file)], { stdout: "inherit", stderr: "inherit" })
  if ((await p.exited) !== 0) {
    console.error(`${file} failed`)
    process.exit(1)
  }
}
