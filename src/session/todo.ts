import { Bus } from "../bus"
import * as Store from "./store"
import { TodoUpdated } from "./events"
import type { Todo } from "./schema"

export type { Todo } from "./schema"

/** The session's current todo list; empty when the agent never wrote one. */
export function getTodos(sessionID: string): Todo[] {
  const data = Store.todoData(sessionID)
  return data ? (JSON.parse(data) as Todo[]) : []
}

/** Replaces the whole list (the agent always sends it complete) and tells clients. */
export function setTodos(directory: string, sessionID: string, todos: Todo[]) {
  Store.putTodos(sessionID, JSON.stringify(todos))
  Bus.publish(directory, TodoUpdated, { sessionID, todos })
}

export function deleteTodos(sessionID: string) {
  Store.deleteTodos(sessionID)
}
