import { t } from "../util/schema"
import DESCRIPTION from "./bash.txt" with { type: "text" }
import { defineTool, ToolError } from "./tool"
import { resolveToolPath, displayPath, isDirectory } from "./resolve-path"
import { runShell, type ShellRun } from "./shell"
import { shellEnv } from "../plugin"

export const DEFAULT_TIMEOUT_MS = 120_000
export const MAX_TIMEOUT_MS = 600_000
/** How often streaming output is pushed into the running tool part. */
const METADATA_EVERY_MS = 100

export const bashTool = defineTool({
  id: "bash",
  description: DESCRIPTION,
  parameters: t.Object({
    command: t.String({ description: "The command to run" }),
    timeout: t.Optional(t.Integer({ minimum: 1, description: `Timeout in milliseconds (default ${DEFAULT_TIMEOUT_MS}, max ${MAX_TIMEOUT_MS})` })),
    workdir: t.Optional(t.String({ description: "Directory to run in, instead of the project directory; use this rather than `cd`" })),
    description: t.Optional(t.String({ description: "What the command does, in 5-10 words" })),
  }),
  async execute(args, ctx) {
    if (!args.command.trim()) throw new ToolError("command is empty.")
    const cwd = args.workdir ? await resolveToolPath(ctx, args.workdir, "Run a command") : ctx.instance.directory
    if (args.workdir && !isDirectory(cwd)) throw new ToolError(`workdir ${displayPath(ctx, cwd)} is not an existing directory.`)
    const description = args.description ?? args.command
    await ctx.ask({ type: "bash", pattern: args.command, title: description, metadata: { command: args.command, description, workdir: cwd } })

    if (ctx.abort.aborted) throw new ToolError("The command was aborted before it started.")
    const timeoutMs = Math.min(args.timeout ?? DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS)
    let lastPush = 0
    let pending: ReturnType<typeof setTimeout> | undefined
    const push = (output: string) => ctx.metadata({ title: description, metadata: { output, description } })
    push("")
    const env = await shellEnv(ctx.instance, { cwd, sessionID: ctx.sessionID, callID: ctx.callID })
    const run = await runShell(args.command, {
      cwd,
      env,
      timeoutMs,
      signal: ctx.abort,
      onOutput(out) {
        if (pending) return
        const wait = lastPush + METADATA_EVERY_MS - Date.now()
        pending = setTimeout(() => {
          pending = undefined
          lastPush = Date.now()
          push(out.render())
        }, Math.max(0, wait))
      },
    }).catch((e) => {
      throw new ToolError(`Could not start the command: ${(e as Error).message}`)
    })
    clearTimeout(pending)
    const output = run.output.render()
    const metadata = { output, description, exit: run.exit, truncated: run.output.truncated, ...(run.stopped ? { stopped: run.stopped } : {}) }
    ctx.metadata({ title: description, metadata })
    if (run.stopped === "abort") throw new ToolError(`The command was aborted and killed.${output ? `\n\nOutput before it stopped:\n${output}` : ""}`)
    return { title: description, output: (output || "(no output)") + "\n\n" + footer(run, timeoutMs), metadata }
  },
})

function footer(run: ShellRun, timeoutMs: number) {
  const lines: string[] = []
  if (run.output.truncated) lines.push("The output was too long: its middle was cut (see the note above).")
  if (run.stopped === "timeout") lines.push(`The command timed out after ${timeoutMs / 1000} s and was killed with everything it started.`)
  if (run.exit !== null) lines.push(`Exit code: ${run.exit}`)
  else if (run.signal) lines.push(`Killed by signal ${run.signal}.`)
  return lines.join("\n")
}
