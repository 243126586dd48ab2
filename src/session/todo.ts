import { Bus } from "../bus"
import { database } from "../storage/db"
import { TodoUpdated } from "./events"
import type { Todo } from "./schema"

export type { Todo } from "./schema"

/** The session's current todo list; empty when the agent never wrote one. */
export function getTodos(sessionID: string): Todo[] {
  const row = database().query<{ data: string }, [string]>("SELECT data FROM todo WHERE session_id = ?").get(sessionID)
  return row ? (JSON.parse(row.data) as Todo[]) : []
}

/** Replaces the whole list (the agent always sends it complete) and tells clients. */
export function setTodos(directory: string, sessionID: string, todos: Todo[]) {
  database()
    .query(
      `INSERT INTO todo (session_id, data, time_updated) VALUES (?, ?, ?)
       ON CONFLICT(session_id) DO UPDATE SET data = excluded.data, time_updated = excluded.time_updated`,
    )
    .run(sessionID, JSON.stringify(todos), Date.now())
  Bus.publish(directory, TodoUpdated, { sessionID, todos })
}

export function deleteTodos(sessionID: string) {
  database().query("DELETE FROM todo WHERE session_id = ?").run(sessionID)
}
