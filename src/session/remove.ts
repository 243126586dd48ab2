import { deleteTodos } from "./todo"
import * as Sessions from "./session"
import * as Store from "./store"
import * as Runner from "./prompt/runner"
import { NotFoundError } from "../util/error"
import { removeSession as forgetPermissions } from "../permission/permission"

/**
 * Deletes a session with its messages, parts, todos, permission requests and approvals, and
 * child sessions. Runs in the tree are aborted first and given a moment to stop, so nothing
 * writes into rows being deleted.
 */
export async function remove(id: string): Promise<true> {
  const tree = Store.subtree(id)
  if (tree.length === 0) throw new NotFoundError(`Session not found: ${id}`)
  const busy = tree.filter((s) => Runner.abort(s.id))
  if (busy.length) await Promise.race([Promise.all(busy.map((s) => Runner.settled(s.id))), Bun.sleep(2000)])
  Sessions.removeTree(id, (s) => {
    deleteTodos(s.id)
    forgetPermissions(s.id)
  })
  return true
}
