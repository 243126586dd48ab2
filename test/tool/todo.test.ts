import { describe, expect, test } from "bun:test"
import { tmpdir } from "../helpers/tmp"
import { toolContext } from "./harness"
import { todowriteTool, todoreadTool } from "../../src/tool/todo"
import { getTodos, deleteTodos } from "../../src/session/todo"
import { Bus } from "../../src/bus"

describe("todo tools", () => {
  test("todowrite stores the list, announces todo.updated, todoread returns it", async () => {
    const dir = tmpdir("todo-")
    const { ctx } = await toolContext(dir)
    const seen: unknown[] = []
    const stop = Bus.subscribe((e) => {
      if (e.directory === dir && e.payload.type === "todo.updated") seen.push(e.payload.properties)
    })
    const r = await todowriteTool.execute(
      {
        todos: [
          { id: "a", content: "Write tests", status: "in_progress", priority: "high" },
          { content: "Ship it", status: "pending" },
          { id: "c", content: "Old idea", status: "cancelled", priority: "low" },
        ],
      },
      ctx,
    )
    stop()
    const expected = [
      { id: "a", content: "Write tests", status: "in_progress", priority: "high" },
      { id: "2", content: "Ship it", status: "pending", priority: "medium" },
      { id: "c", content: "Old idea", status: "cancelled", priority: "low" },
    ]
    expect(r.title).toBe("2 todos open")
    expect(getTodos(ctx.sessionID)).toEqual(expected)
    expect(seen).toEqual([{ sessionID: ctx.sessionID, todos: expected }])
    const read = await todoreadTool.execute({}, ctx)
    expect(JSON.parse(read.output)).toEqual(expected)

    await todowriteTool.execute({ todos: [{ id: "a", content: "Write tests", status: "completed", priority: "high" }] }, ctx)
    expect(getTodos(ctx.sessionID)).toHaveLength(1)
    deleteTodos(ctx.sessionID)
    expect(getTodos(ctx.sessionID)).toEqual([])
    expect((await todoreadTool.execute({}, ctx)).output).toBe("The task list is empty.")
  })

  test("an unknown status is refused, not guessed", async () => {
    const { ctx } = await toolContext(tmpdir("todo-"))
    await expect(todowriteTool.execute({ todos: [{ content: "x", status: "doing" }] }, ctx)).rejects.toThrow(
      /todos\[0\]\.status is "doing"; it must be one of: pending, in_progress, completed, cancelled/,
    )
    expect(getTodos(ctx.sessionID)).toEqual([])
  })

  test("sessions keep separate lists", async () => {
    const dir = tmpdir("todo-")
    const one = await toolContext(dir)
    const two = await toolContext(dir)
    await todowriteTool.execute({ todos: [{ content: "mine", status: "pending" }] }, one.ctx)
    expect(getTodos(two.ctx.sessionID)).toEqual([])
    expect(getTodos(one.ctx.sessionID)[0].content).toBe("mine")
  })
})
