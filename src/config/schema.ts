import { t, type Static } from "../util/schema"
// One definition per wire type: the MCP domain owns the server entry shapes.
import { McpLocalConfig, McpRemoteConfig } from "../mcp/schema"

// The opencode.json contract, modelled on the SDK's `Config` type. Objects the user extends
// freely (the root, agent entries, provider options) allow unknown keys: a newer opencode's
// setting must not make this server refuse the file (unknown root keys are logged instead).
const open = { additionalProperties: true }

const Action = t.Union([t.Literal("ask"), t.Literal("allow"), t.Literal("deny")])
const StringMap = t.Record(t.String(), t.String())
const Modality = t.Union(["text", "audio", "image", "video", "pdf"].map((m) => t.Literal(m)))

// One action for everything ("permission": "ask", as opencode 1.x accepts), or per type.
const PermissionRule = t.Union([Action, t.Record(t.String(), Action)])

/**
 * One action for everything, or per permission type an action or `{pattern: action}`
 * (`"*"` as a type sets every type; the last matching pattern wins, as in opencode 1.18).
 */
export const PermissionConfig = t.Union(
  [
    Action,
    t.Object(
      {
        edit: t.Optional(PermissionRule),
        bash: t.Optional(PermissionRule),
        webfetch: t.Optional(Action),
        doom_loop: t.Optional(Action),
        external_directory: t.Optional(PermissionRule),
      },
      { additionalProperties: PermissionRule },
    ),
  ],
  { $id: "PermissionConfig" },
)

export const AgentConfig = t.Object(
  {
    model: t.Optional(t.String({ pattern: "^[^/]+/.+$", description: "a model as \"provider/model\"" })),
    temperature: t.Optional(t.Number()),
    top_p: t.Optional(t.Number()),
    prompt: t.Optional(t.String()),
    tools: t.Optional(t.Record(t.String(), t.Boolean())),
    disable: t.Optional(t.Boolean()),
    description: t.Optional(t.String({ description: "When to use the agent" })),
    mode: t.Optional(t.Union([t.Literal("subagent"), t.Literal("primary"), t.Literal("all")])),
    color: t.Optional(
      t.Union([t.String({ pattern: "^#[0-9a-fA-F]{6}$" }), ...["primary", "secondary", "accent", "success", "warning", "error", "info"].map((c) => t.Literal(c))], {
        description: "Hex colour (#FF5733) or a theme colour (primary, accent...)",
      }),
    ),
    hidden: t.Optional(t.Boolean({ description: "Hide a subagent from the @ menu" })),
    options: t.Optional(t.Record(t.String(), t.Unknown())),
    steps: t.Optional(t.Integer({ minimum: 1 })),
    maxSteps: t.Optional(t.Integer({ minimum: 1, description: "Agentic iterations before a text-only answer is forced" })),
    permission: t.Optional(PermissionConfig),
  },
  { $id: "AgentConfig", ...open },
)

const Cost = t.Object({
  input: t.Number(),
  output: t.Number(),
  cache_read: t.Optional(t.Number()),
  cache_write: t.Optional(t.Number()),
})

const ModelConfig = t.Object(
  {
    id: t.Optional(t.String()),
    name: t.Optional(t.String()),
    release_date: t.Optional(t.String()),
    attachment: t.Optional(t.Boolean()),
    reasoning: t.Optional(t.Boolean()),
    temperature: t.Optional(t.Boolean()),
    tool_call: t.Optional(t.Boolean()),
    cost: t.Optional(t.Object({ ...Cost.properties, context_over_200k: t.Optional(Cost) })),
    limit: t.Optional(t.Object({ context: t.Number(), output: t.Number() })),
    modalities: t.Optional(t.Object({ input: t.Array(Modality), output: t.Array(Modality) })),
    experimental: t.Optional(t.Boolean()),
    status: t.Optional(t.Union([t.Literal("alpha"), t.Literal("beta"), t.Literal("deprecated"), t.Literal("active")])),
    options: t.Optional(t.Record(t.String(), t.Unknown())),
    headers: t.Optional(StringMap),
    provider: t.Optional(t.Object({ npm: t.String() })),
  },
  open,
)

export const ProviderConfig = t.Object(
  {
    api: t.Optional(t.String()),
    name: t.Optional(t.String()),
    env: t.Optional(t.Array(t.String())),
    id: t.Optional(t.String()),
    npm: t.Optional(t.String()),
    models: t.Optional(t.Record(t.String(), ModelConfig)),
    whitelist: t.Optional(t.Array(t.String())),
    blacklist: t.Optional(t.Array(t.String())),
    options: t.Optional(
      t.Object(
        {
          apiKey: t.Optional(t.String()),
          baseURL: t.Optional(t.String()),
          enterpriseUrl: t.Optional(t.String()),
          setCacheKey: t.Optional(t.Boolean()),
          timeout: t.Optional(t.Union([t.Integer({ minimum: 1 }), t.Literal(false)])),
        },
        open,
      ),
    ),
  },
  { $id: "ProviderConfig", ...open },
)

export const CommandConfig = t.Object({
  template: t.String(),
  description: t.Optional(t.String()),
  agent: t.Optional(t.String()),
  model: t.Optional(t.String()),
  subtask: t.Optional(t.Boolean()),
})

/** Switches a server defined elsewhere (e.g. globally) on or off for this project. */
const McpToggle = t.Object({ enabled: t.Boolean() }, { additionalProperties: false })

const HookCommand = t.Object({ command: t.Array(t.String()), environment: t.Optional(StringMap) })

const LspEntry = t.Union([
  t.Object({ disabled: t.Literal(true) }),
  t.Object({
    command: t.Array(t.String()),
    extensions: t.Optional(t.Array(t.String())),
    disabled: t.Optional(t.Boolean()),
    env: t.Optional(StringMap),
    initialization: t.Optional(t.Record(t.String(), t.Unknown())),
  }),
])

export const Config = t.Object(
  {
    $schema: t.Optional(t.String()),
    theme: t.Optional(t.String()),
    keybinds: t.Optional(t.Record(t.String(), t.String(), { $id: "KeybindsConfig" })),
    logLevel: t.Optional(t.Union([t.Literal("DEBUG"), t.Literal("INFO"), t.Literal("WARN"), t.Literal("ERROR")])),
    tui: t.Optional(
      t.Object(
        {
          scroll_speed: t.Optional(t.Number({ minimum: 0.001 })),
          scroll_acceleration: t.Optional(t.Object({ enabled: t.Boolean() })),
          diff_style: t.Optional(t.Union([t.Literal("auto"), t.Literal("stacked")])),
        },
        open,
      ),
    ),
    command: t.Optional(t.Record(t.String(), CommandConfig)),
    watcher: t.Optional(t.Object({ ignore: t.Optional(t.Array(t.String())) })),
    plugin: t.Optional(
      t.Array(t.Union([t.String(), t.Tuple([t.String(), t.Record(t.String(), t.Unknown())])]), {
        description: 'Plugins: "name", "name@version", "file:///abs/path.ts" or a path, each optionally as [entry, {options}]',
      }),
    ),
    snapshot: t.Optional(t.Boolean()),
    share: t.Optional(t.Union([t.Literal("manual"), t.Literal("auto"), t.Literal("disabled")])),
    autoshare: t.Optional(t.Boolean()),
    autoupdate: t.Optional(t.Union([t.Boolean(), t.Literal("notify")])),
    disabled_providers: t.Optional(t.Array(t.String())),
    enabled_providers: t.Optional(t.Array(t.String())),
    model: t.Optional(t.String({ pattern: "^[^/]+/.+$", description: "a model as \"provider/model\" (the default model)" })),
    small_model: t.Optional(t.String({ pattern: "^[^/]+/.+$", description: "a model as \"provider/model\" (for titles and summaries)" })),
    shell: t.Optional(t.String({ description: "Shell for the bash tool and !`cmd` in commands" })),
    subagent_depth: t.Optional(t.Integer({ minimum: 0 })),
    tool_output: t.Optional(
      t.Object({ max_lines: t.Optional(t.Integer({ minimum: 1 })), max_bytes: t.Optional(t.Integer({ minimum: 1 })) }, open),
    ),
    compaction: t.Optional(
      t.Object(
        {
          auto: t.Optional(t.Boolean()),
          prune: t.Optional(t.Boolean()),
          tail_turns: t.Optional(t.Integer({ minimum: 0 })),
          preserve_recent_tokens: t.Optional(t.Integer({ minimum: 0 })),
          reserved: t.Optional(t.Integer({ minimum: 0 })),
        },
        open,
      ),
    ),
    default_agent: t.Optional(t.String({ description: "Primary agent used when a request names none (default: build)" })),
    username: t.Optional(t.String()),
    mode: t.Optional(t.Record(t.String(), AgentConfig, { description: "Deprecated: use `agent`" })),
    agent: t.Optional(t.Record(t.String(), AgentConfig)),
    provider: t.Optional(t.Record(t.String(), ProviderConfig)),
    mcp: t.Optional(t.Record(t.String(), t.Union([McpLocalConfig, McpRemoteConfig, McpToggle]))),
    formatter: t.Optional(
      t.Union([
        t.Literal(false),
        t.Record(
          t.String(),
          t.Object({
            disabled: t.Optional(t.Boolean()),
            command: t.Optional(t.Array(t.String())),
            environment: t.Optional(StringMap),
            extensions: t.Optional(t.Array(t.String())),
          }),
        ),
      ]),
    ),
    lsp: t.Optional(t.Union([t.Literal(false), t.Record(t.String(), LspEntry)])),
    instructions: t.Optional(t.Array(t.String(), { description: "Extra instruction files or globs" })),
    references: t.Optional(t.Record(t.String(), t.Unknown(), { description: "Named local folders or git repositories the agent and @-mentions can refer to (opencode 1.18)" })),
    reference: t.Optional(t.Record(t.String(), t.Unknown(), { description: "Older name of `references`" })),
    skills: t.Optional(t.Unknown({ description: "Skill sources (opencode 1.18); this server offers no skills yet and ignores it" })),
    layout: t.Optional(t.Union([t.Literal("auto"), t.Literal("stretch")], { $id: "LayoutConfig" })),
    permission: t.Optional(PermissionConfig),
    tools: t.Optional(t.Record(t.String(), t.Boolean())),
    enterprise: t.Optional(t.Object({ url: t.Optional(t.String()) })),
    experimental: t.Optional(
      t.Object(
        {
          hook: t.Optional(
            t.Object({
              file_edited: t.Optional(t.Record(t.String(), t.Array(HookCommand))),
              session_completed: t.Optional(t.Array(HookCommand)),
            }),
          ),
          chatMaxRetries: t.Optional(t.Integer({ minimum: 0 })),
          disable_paste_summary: t.Optional(t.Boolean()),
          batch_tool: t.Optional(t.Boolean()),
          openTelemetry: t.Optional(t.Boolean()),
          primary_tools: t.Optional(t.Array(t.String())),
          continue_loop_on_deny: t.Optional(t.Boolean({ description: "Keep the agent going after the user rejects a tool call (default: the reply stops)" })),
        },
        open,
      ),
    ),
  },
  { $id: "Config", ...open },
)
export type Config = Static<typeof Config>

export const KNOWN_KEYS = new Set(Object.keys(Config.properties))

/**
 * What a config file is checked against. `mcp` entries are only required to be objects: the
 * MCP domain checks each one and shows a bad entry as that server `failed` with the reason,
 * instead of one typo setting aside the whole file.
 */
export const ConfigFile = t.Object(
  { ...Config.properties, mcp: t.Optional(t.Record(t.String(), t.Object({}, open))) },
  open,
)
