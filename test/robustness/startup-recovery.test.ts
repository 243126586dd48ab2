import { afterAll, expect, test } from "bun:test"
import { Database } from "bun:sqlite"
import path from "node:path"
import { reap, type ServeProcess } from "../cli/serve-process"
import { tmpdir } from "../helpers/tmp"
import { open } from "../../src/storage/db"
import { childServer } from "./lib"

// Crash recovery runs when the server starts, not when some request first touches a session:
// work a dead server left open is closed on disk before anyone asks for it.

const procs: ServeProcess[] = []
afterAll(() => reap(procs))

test("a restart closes the open reply, its running tool and the pending ask before any request", async () => {
  const dataDir = tmpdir("data-")
  const project = tmpdir("proj-")
  const file = path.join(dataDir, "opencode.db")
  // What a server killed mid-reply leaves behind, written as that server would have.
  const seed = open(file)
  const now = Date.now()
  const session = { id: "ses_dead", projectID: "global", directory: project, title: "t", version: "1", time: { created: now, updated: now } }
  seed.query("INSERT INTO session (id, project_id, directory, time_updated, data) VALUES (?, ?, ?, ?, ?)").run(session.id, "global", project, now, JSON.stringify(session))
  const reply = { id: "msg_dead", sessionID: session.id, role: "assistant", parentID: "msg_user", time: { created: now }, modelID: "m", providerID: "p", mode: "build", path: { cwd: project, root: project }, cost: 0, tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } } }
  seed.query("INSERT INTO message (id, session_id, role, open, data) VALUES (?, ?, 'assistant', 1, ?)").run(reply.id, session.id, JSON.stringify(reply))
  const tool = { id: "prt_dead", sessionID: session.id, messageID: reply.id, type: "tool", callID: "call_1", tool: "bash", state: { status: "running", input: { command: "sleep 30" }, time: { start: now } } }
  seed.query("INSERT INTO part (id, message_id, session_id, data) VALUES (?, ?, ?, ?)").run(tool.id, reply.id, session.id, JSON.stringify(tool))
  seed
    .query("INSERT INTO permission (id, directory, session_id, message_id, type, title, metadata, status, time_created) VALUES (?, ?, ?, ?, ?, ?, '{}', 'pending', ?)")
    .run("per_dead", project, session.id, reply.id, "bash", "run it", now)
  seed.close()

  // Started and healthy; no request names the session or a permission.
  await childServer(project, dataDir, procs)

  const db = new Database(file, { readonly: true })
  const message = db.query<{ open: number; data: string }, []>("SELECT open, data FROM message WHERE id = 'msg_dead'").get()!
  expect(message.open).toBe(0)
  expect(JSON.parse(message.data).error.name).toBe("MessageAbortedError")
  const part = JSON.parse(db.query<{ data: string }, []>("SELECT data FROM part WHERE id = 'prt_dead'").get()!.data)
  expect(part.state.status).toBe("error")
  expect(db.query<{ status: string }, []>("SELECT status FROM permission WHERE id = 'per_dead'").get()!.status).toBe("expired")
  db.close()
})
