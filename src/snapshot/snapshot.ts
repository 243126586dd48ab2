import fs from "node:fs"
import { createTwoFilesPatch } from "diff"
import os from "node:os"
import path from "node:path"
import type { Instance } from "../project/instance"
import { getConfig } from "../config/config"
import { contains } from "../project/paths"
import type { FileDiff } from "../session/schema"
import { createLog } from "../util/log"
import { refreshExcludes } from "./exclude"
import { readBlobs } from "./blobs"
import { dueForGc, gc } from "./maintenance"
import { ensure, must, nul, run, shadowOf, type Shadow } from "./shadow"

const log = createLog("snapshot")

export type Patch = { hash: string; files: string[] }

// One git process at a time per shadow repository: they share one index.
const locks = new Map<string, Promise<unknown>>()
function locked<T>(s: Shadow, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(s.gitDir) ?? Promise.resolve()
  const next = prev.then(fn, fn)
  const tail = next.then(
    () => {},
    () => {},
  )
  locks.set(s.gitDir, tail)
  tail.then(() => locks.get(s.gitDir) === tail && locks.delete(s.gitDir))
  return next
}

async function enabled(instance: Instance) {
  const cfg = await getConfig(instance)
  if (cfg.snapshot === false) return false
  // A project rooted at / or the home directory would mean copying the whole disk.
  const w = path.resolve(instance.worktree)
  return w !== path.parse(w).root && w !== path.resolve(os.homedir())
}

/** Stages the worktree as it is now into the shadow index; returns the tree hash. Lock held. */
async function stage(instance: Instance, s: Shadow): Promise<string> {
  await ensure(s)
  await refreshExcludes(instance, s)
  // --ignore-errors: one unreadable file must not cost the snapshot of all the others.
  const add = await run(s, ["add", "-A", "--ignore-errors"])
  if (add.code !== 0) log.warn("some files were not snapshotted", { worktree: s.worktree, stderr: add.stderr.trim().slice(0, 500) })
  return (await must(s, ["write-tree"])).text().trim()
}

/**
 * Snapshots the worktree (tracked and untracked files, .gitignore respected) into the
 * shadow repository and returns its tree hash; undefined when snapshots are off or failed.
 */
export async function track(instance: Instance): Promise<string | undefined> {
  if (!(await enabled(instance))) return undefined
  const s = shadowOf(instance)
  const hash = await locked(s, () => stage(instance, s)).catch((e) => {
    log.warn("track failed", { worktree: s.worktree, error: e })
    return undefined
  })
  // Queued behind this snapshot, not awaited: the caller's step goes on meanwhile.
  if (hash && dueForGc(s)) void locked(s, () => gc(s))
  return hash
}

/**
 * The files (absolute paths) that differ between snapshot `hash` and the worktree now;
 * `after` is the snapshot of the worktree now (taken anyway to compare).
 */
export async function patch(instance: Instance, hash: string): Promise<Patch & { after?: string }> {
  const s = shadowOf(instance)
  return locked(s, async () => {
    const after = await stage(instance, s)
    const r = await must(s, ["diff", "--cached", "--no-renames", "--no-ext-diff", "--name-only", "-z", hash, "--"])
    return { hash, files: nul(r).map((rel) => path.join(s.worktree, rel)), after }
  }).catch((e) => {
    log.warn("patch failed", { hash, error: e })
    return { hash, files: [] }
  })
}

/** Per-file before/after text and line counts between two snapshots (`to` omitted: the worktree now). */
export async function diff(instance: Instance, from: string, to?: string): Promise<FileDiff[]> {
  const s = shadowOf(instance)
  return locked(s, async () => {
    const target = to ?? (await stage(instance, s))
    const [raw, numstat] = await Promise.all([
      must(s, ["diff-tree", "-r", "-z", "--no-renames", "--raw", from, target]),
      must(s, ["diff-tree", "-r", "-z", "--no-renames", "--numstat", from, target]),
    ])
    const entries = parseRaw(nul(raw))
    const counts = parseNumstat(nul(numstat))
    const blobs = await readBlobs(s, entries.flatMap((e) => [e.before, e.after]))
    return entries.map((e): FileDiff => {
      const c = counts.get(e.file)
      const binary = !c
      const before = binary ? "" : (blobs.get(e.before) ?? "")
      const after = binary ? "" : (blobs.get(e.after) ?? "")
      return {
        file: e.file,
        before,
        after,
        additions: c?.additions ?? 0,
        deletions: c?.deletions ?? 0,
        patch: binary ? "" : createTwoFilesPatch(e.file, e.file, before, after),
        status: e.status === "A" ? "added" : e.status === "D" ? "deleted" : "modified",
      }
    })
  })
}

/**
 * Writes back every file whose content differs from snapshot `hash`. Files created since
 * the snapshot are left alone (as opencode does); use revert() to undo precise files.
 */
export async function restore(instance: Instance, hash: string): Promise<void> {
  const s = shadowOf(instance)
  await locked(s, async () => {
    const now = await stage(instance, s)
    const changed = await must(s, ["diff-tree", "-r", "-z", "--no-renames", "--name-only", "--diff-filter=AMT", now, hash])
    const files = nul(changed)
    await must(s, ["read-tree", hash])
    if (files.length) await must(s, ["checkout-index", "-f", "-z", "--stdin"], files.join("\0") + "\0")
  })
}

/**
 * Puts each listed file back as it was in its patch's snapshot; a file absent from that
 * snapshot is deleted. When a file appears in several patches the first one wins, so pass
 * patches oldest first.
 */
export async function revert(instance: Instance, patches: Patch[]): Promise<void> {
  const s = shadowOf(instance)
  await locked(s, async () => {
    await ensure(s)
    const seen = new Set<string>()
    for (const p of patches) {
      const rels: string[] = []
      for (const file of p.files) {
        const abs = path.resolve(s.worktree, file)
        if (seen.has(abs)) continue
        seen.add(abs)
        if (!contains(s.worktree, abs)) {
          log.warn("revert: path outside the worktree skipped", { file })
          continue
        }
        rels.push(path.relative(s.worktree, abs))
      }
      if (!rels.length) continue
      const present = await existing(s, p.hash, rels)
      const restore = rels.filter((r) => present.has(r))
      if (restore.length)
        await must(s, ["checkout", p.hash, "--pathspec-from-file=-", "--pathspec-file-nul"], restore.join("\0") + "\0")
      for (const rel of rels) if (!present.has(rel)) removeFile(path.join(s.worktree, rel))
    }
  })
}

/** Which of `rels` the snapshot holds, asked of one `cat-file --batch-check` process. */
async function existing(s: Shadow, hash: string, rels: string[]): Promise<Set<string>> {
  const r = await must(s, ["cat-file", "--batch-check=%(objecttype)"], rels.map((rel) => `${hash}:${rel}`).join("\n") + "\n")
  const answers = r.text().split("\n")
  return new Set(rels.filter((_, i) => answers[i] !== undefined && !answers[i].endsWith(" missing") && answers[i] !== "tree"))
}

function removeFile(abs: string) {
  try {
    const st = fs.lstatSync(abs)
    if (!st.isDirectory()) fs.unlinkSync(abs)
  } catch (e: any) {
    if (e?.code !== "ENOENT") throw e
  }
}

type RawEntry = { file: string; before: string; after: string; status: string }

// `--raw -z` gives ":<mode> <mode> <sha> <sha> <status>\0<path>\0" per file.
function parseRaw(fields: string[]): RawEntry[] {
  const out: RawEntry[] = []
  for (let i = 0; i + 1 < fields.length; i += 2) {
    // ":<mode> <mode> <blob> <blob> <status letter>"
    const [, , before, after, status] = fields[i].slice(1).split(" ")
    out.push({ file: fields[i + 1], before, after, status: status?.[0] ?? "M" })
  }
  return out
}

// `--numstat -z` gives "<added>\t<deleted>\t<path>\0"; binary files show "-" and are left out.
function parseNumstat(fields: string[]) {
  const out = new Map<string, { additions: number; deletions: number }>()
  for (const f of fields) {
    const [a, d, ...rest] = f.split("\t")
    if (a === "-") continue
    out.set(rest.join("\t"), { additions: Number(a), deletions: Number(d) })
  }
  return out
}
