import { t } from "../util/schema"
import WRITE_DESCRIPTION from "./todowrite.txt" with { type: "text" }
import READ_DESCRIPTION from "./todoread.txt" with { type: "text" }
import { defineTool, ToolError } from "./tool"
import { getTodos, setTodos, type Todo } from "../session/todo"

const STATUSES = ["pending", "in_progress", "completed", "cancelled"]
const PRIORITIES = ["high", "medium", "low"]

// Plain strings with an `enum` keyword: providers that reject anyOf/const still get the choices.
const TodoInput = t.Object({
  content: t.String({ minLength: 1, description: "What to do, short and concrete" }),
  status: t.String({ enum: STATUSES, description: STATUSES.join(" | ") }),
  priority: t.Optional(t.String({ enum: PRIORITIES, description: PRIORITIES.join(" | ") + " (default medium)" })),
  id: t.Optional(t.String({ description: "Stable id of the item across updates" })),
})

export const todowriteTool = defineTool({
  id: "todowrite",
  description: WRITE_DESCRIPTION,
  parameters: t.Object({ todos: t.Array(TodoInput, { description: "The complete, updated task list" }) }),
  async execute(args, ctx) {
    const todos: Todo[] = args.todos.map((item, i) => {
      if (!STATUSES.includes(item.status))
        throw new ToolError(`todos[${i}].status is "${item.status}"; it must be one of: ${STATUSES.join(", ")}.`)
      if (item.priority && !PRIORITIES.includes(item.priority))
        throw new ToolError(`todos[${i}].priority is "${item.priority}"; it must be one of: ${PRIORITIES.join(", ")}.`)
      return { id: item.id || String(i + 1), content: item.content, status: item.status, priority: item.priority ?? "medium" }
    })
    setTodos(ctx.instance.directory, ctx.sessionID, todos)
    return { title: summary(todos), output: JSON.stringify(todos, null, 2), metadata: { todos } }
  },
})

export const todoreadTool = defineTool({
  id: "todoread",
  description: READ_DESCRIPTION,
  parameters: t.Object({}),
  async execute(_args, ctx) {
    const todos = getTodos(ctx.sessionID)
    return { title: summary(todos), output: todos.length ? JSON.stringify(todos, null, 2) : "The task list is empty.", metadata: { todos } }
  },
})

function summary(todos: Todo[]) {
  const open = todos.filter((t) => t.status !== "completed" && t.status !== "cancelled").length
  return `${open} todo${open === 1 ? "" : "s"} open`
}
