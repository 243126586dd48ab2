import { describe, expect, test } from "bun:test"
import fs from "node:fs"
import path from "node:path"
import { createOpencodeClient } from "@opencode-ai/sdk/v2"
import { useHarness } from "../helpers/harness"
import { sseReader } from "../helpers/sse"
import { gitIn, gitRepo, tmpdir } from "../helpers/tmp"
import { specProblems } from "../v2/spec-check"

// /experimental/worktree: the web and desktop apps' "workspaces", through the v2 SDK.

const h = useHarness()
const v2 = (directory: string) => createOpencodeClient({ baseUrl: h.server.base, directory })

describe("worktrees", () => {
  test("create runs the start commands and announces worktree.ready; list, reset and remove", async () => {
    const repo = await gitRepo({ "README.md": "hello\n" })
    const c = v2(repo)
    const project = (await c.project.current()).data!
    await c.project.update({ projectID: project.id, commands: { start: "echo from-project > started.txt" } })
    const stream = sseReader(await h.server.fetch("/global/event"))

    const created = await c.worktree.create({ worktreeCreateInput: { name: "feat-a", startCommand: "echo extra >> started.txt" } })
    expect(created.response.status).toBe(200)
    expect(specProblems("worktree.create", created.data)).toEqual([])
    const wt = created.data!
    expect(wt).toMatchObject({ name: "feat-a", branch: "opencode/feat-a" })
    expect(fs.readFileSync(path.join(wt.directory, "README.md"), "utf8")).toBe("hello\n")
    const ready = await stream.next((e) => e.data.payload.type === "worktree.ready" || e.data.payload.type === "worktree.failed", 15_000)
    expect(ready.data.payload).toMatchObject({ type: "worktree.ready", properties: { name: "feat-a", branch: "opencode/feat-a" } })
    expect(fs.readFileSync(path.join(wt.directory, "started.txt"), "utf8")).toBe("from-project\nextra\n")

    expect((await c.worktree.list()).data).toEqual([wt.directory])
    expect((await c.project.current()).data!.sandboxes).toEqual([wt.directory])
    // The worktree is a directory of the same project.
    expect((await v2(wt.directory).project.current()).data!.id).toBe(project.id)

    // Reset: commits, edits and stray files in the worktree are gone; it is back at main.
    fs.writeFileSync(path.join(wt.directory, "README.md"), "changed\n")
    await gitIn(wt.directory, "commit", "-qam", "wip")
    fs.writeFileSync(path.join(wt.directory, "stray.txt"), "x")
    expect((await c.worktree.reset({ worktreeResetInput: { directory: wt.directory } })).data).toBe(true)
    expect(fs.readFileSync(path.join(wt.directory, "README.md"), "utf8")).toBe("hello\n")
    expect(fs.existsSync(path.join(wt.directory, "stray.txt"))).toBe(false)
    expect((await gitIn(wt.directory, "rev-parse", "HEAD")).trim()).toBe((await gitIn(repo, "rev-parse", "main")).trim())

    expect((await c.worktree.remove({ worktreeRemoveInput: { directory: wt.directory } })).data).toBe(true)
    expect(fs.existsSync(wt.directory)).toBe(false)
    expect(await gitIn(repo, "branch", "--list", "opencode/feat-a")).toBe("")
    expect((await c.worktree.list()).data).toEqual([])
    stream.cancel()
  })

  test("a failing start command announces worktree.failed; bad names, unknown directories and plain folders are 400", async () => {
    const repo = await gitRepo()
    const c = v2(repo)
    const stream = sseReader(await h.server.fetch("/global/event"))
    const made = await c.worktree.create({ worktreeCreateInput: { startCommand: "echo nope >&2; exit 3" } })
    expect(made.data!.name).toMatch(/^[a-z]+-[a-z]+-\d+$/)
    const failed = await stream.next((e) => e.data.payload.type === "worktree.failed", 15_000)
    expect(failed.data.payload.properties.message).toContain("exit 3")
    expect(failed.data.payload.properties.message).toContain("nope")
    stream.cancel()

    const badName = await c.worktree.create({ worktreeCreateInput: { name: "../escape" } })
    expect(badName.response.status).toBe(400)
    expect(badName.error).toMatchObject({ name: "WorktreeCreateFailedError" })
    // Only worktrees this server made can be removed: never an arbitrary directory.
    const other = tmpdir("not-a-worktree-")
    const refused = await c.worktree.remove({ worktreeRemoveInput: { directory: other } })
    expect(refused.response.status).toBe(400)
    expect(refused.error).toMatchObject({ name: "WorktreeRemoveFailedError" })
    expect(fs.existsSync(other)).toBe(true)
    const plain = await v2(tmpdir("plain-")).worktree.list()
    expect(plain.response.status).toBe(400)
    expect(plain.error).toMatchObject({ name: "WorktreeNotGitError" })
  })
})
