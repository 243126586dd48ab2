import { deleteTodos } from "./todo"
import * as Sessions from "./session"
import * as Store from "./store"
import * as Runner from "./prompt/runner"
import { NotFoundError } from "../util/error"

/**
 * Deletes a session with its messages, parts, todos and child sessions. Runs in the tree are
 * aborted first and given a moment to stop, so nothing writes into rows being deleted.
 */
export async function remove(id: string): Promise<true> {
  const tree = Store.subtree(id)
  if (tree.length === 0) throw new NotFoundError(`Session not found: ${id}`)
  const busy = tree.filter((s) => Runner.abort(s.id))
  if (busy.length) await Promise.race([Promise.all(busy.map((s) => Runner.settled(s.id))), Bun.sleep(2000)])
  Sessions.removeTree(id, (s) => deleteTodos(s.id))
  return true
}
