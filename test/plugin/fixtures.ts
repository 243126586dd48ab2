// Plugin and tool files as users write them, against the real @opencode-ai/plugin API. Tests
// write them into temp projects; they report what they saw on globalThis.__pluginSeen, which
// the test (running in the same process as the server) reads.

export const greetTool = `
import { tool } from "@opencode-ai/plugin"

export default tool({
  description: "Greets someone by name",
  args: { name: tool.schema.string().describe("who to greet"), times: tool.schema.number().int().min(1).default(1) },
  async execute(args, ctx) {
    ctx.metadata({ title: "greeting " + args.name, metadata: { agent: ctx.agent } })
    const where = ctx.directory === ctx.worktree ? "root" : "sub"
    return { title: "greeted", output: Array(args.times).fill("Hello, " + args.name).join(" ") + " from " + where + " in " + ctx.sessionID, metadata: { n: args.times } }
  },
})

export const loud = tool({
  description: "Shouts",
  args: { word: tool.schema.string() },
  async execute(args) {
    return args.word.toUpperCase()
  },
})
`

export const askTool = `
import { tool } from "@opencode-ai/plugin"

export default tool({
  description: "Deploys after asking",
  args: { target: tool.schema.string() },
  async execute(args, ctx) {
    await ctx.ask({ permission: "deploy", patterns: [args.target], always: [], metadata: {} })
    return "deployed " + args.target
  },
})
`

export const spyPlugin = `
import type { Plugin } from "@opencode-ai/plugin"

const seen = ((globalThis as any).__pluginSeen ??= { events: [], messages: [], before: [], after: [], inputs: [] })

export const Spy: Plugin = async (input, options) => {
  seen.inputs.push({ directory: input.directory, worktree: input.worktree, serverUrl: String(input.serverUrl), options, project: input.project.id })
  seen.paths ??= {}
  seen.paths[input.directory] = (await input.client.path.get()).data ?? null
  seen.shell = (await input.$\`echo shell-works\`.quiet().text()).trim()
  return {
    event: async ({ event }) => { seen.events.push(event.type) },
    "chat.message": async (inp, out) => { seen.messages.push({ sessionID: inp.sessionID, text: out.parts.map((p: any) => p.text ?? "").join("") }) },
    "chat.params": async (_inp, out) => { out.temperature = 0.42; out.topP = 0.9 },
    "chat.headers": async (_inp, out) => { out.headers["x-from-plugin"] = "spy" },
    "experimental.chat.system.transform": async (_inp, out) => { out.system.push("PLUGIN SYSTEM LINE") },
    "shell.env": async (inp, out) => { out.env.PLUGIN_VAR = "from-plugin:" + (inp.sessionID ? "session" : "none") },
    "tool.execute.before": async (inp, out) => {
      seen.before.push({ tool: inp.tool, args: structuredClone(out.args) })
      if (inp.tool === "greet" && out.args.name === "boom") throw new Error("boom is not a name")
      if (inp.tool === "greet" && out.args.name === "hang") await new Promise(() => {})
      if (inp.tool === "greet" && out.args.name === "rename") out.args.name = "Renamed"
    },
    "tool.execute.after": async (inp, out) => {
      seen.after.push({ tool: inp.tool, output: out.output })
      if (inp.tool === "greet_loud") out.output += " (checked by spy)"
    },
    "permission.ask": async (inp, out) => {
      const pattern = [inp.pattern ?? []].flat().join(" ")
      if (pattern.includes("forbidden")) out.status = "deny"
      if (pattern.includes("trusted")) out.status = "allow"
    },
  }
}
`

export const brokenPlugin = `
export default async function Broken() {
  throw new Error("this plugin cannot start")
}
`

export const slowEventPlugin = `
export const SlowEvents = async () => ({
  event: async () => { await new Promise(() => {}) },
})
`

export const authPlugin = `
export const AcmeAuth = async () => ({
  auth: {
    provider: "acme",
    async loader(getAuth) {
      const auth = await getAuth()
      return auth.type === "oauth" ? { apiKey: auth.access, headers: { "x-acme-loader": "yes" } } : {}
    },
    methods: [
      {
        type: "oauth",
        label: "Acme account",
        prompts: [{ type: "select", key: "region", message: "Region", options: [{ label: "EU", value: "eu" }, { label: "US", value: "us" }] }],
        async authorize(inputs) {
          return {
            url: "https://login.acme.test/" + inputs.region,
            instructions: "Paste the code",
            method: "code",
            async callback(code) {
              return code === "right" ? { type: "success", access: "tok-" + inputs.region, refresh: "r", expires: Date.now() + 3600_000 } : { type: "failed" }
            },
          }
        },
      },
      { type: "api", label: "Acme key" },
    ],
  },
})
`

export const shaperPlugin = `
const seen = ((globalThis as any).__shaperSeen ??= {})

export default {
  id: "shaper",
  server: async () => ({
    config: async (cfg: any) => {
      seen.model = cfg.model
      cfg.agent = { ...cfg.agent, reviewer: { description: "Reviews code (from a plugin)", mode: "subagent", prompt: "Review the change." } }
    },
    dispose: async () => { seen.disposed = true },
    "tool.definition": async (inp: any, out: any) => { if (inp.toolID === "list") out.description = "LIST TOOL (shaped)" },
    "experimental.chat.messages.transform": async (_inp: any, out: any) => {
      for (const m of out.messages) for (const p of m.parts) if (p.type === "text") p.text = p.text.replace("secret", "[redacted]")
    },
    "experimental.text.complete": async (_inp: any, out: any) => { out.text += " [checked]" },
    "command.execute.before": async (inp: any, out: any) => { out.parts.push({ type: "text", text: "added by plugin for " + inp.command + " " + inp.arguments }) },
    "experimental.session.compacting": async (_inp: any, out: any) => { out.context.push("PLUGIN CONTEXT: keep the todo list") },
  }),
}
`
