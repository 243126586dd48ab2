// Every environment variable the server reads for itself, in one place: its default and what it
// does (the README's "Environment variables" table says the same, and a test holds the two
// together). Values are read at the moment of use, never cached here, so a test or a second
// server in the same process can change them, and start-up pays nothing for the ones it never
// touches. Variables named by someone else (a provider's API key from the catalog, `{env:NAME}`
// in a config, SHELL, PATH) are read where they are used.

type Setting = { default: string; doc: string }

export const SETTINGS = {
  // Serving
  OPENCODE_SERVER_PASSWORD: { default: "unset: no auth", doc: "HTTP basic auth on every route with this password" },
  OPENCODE_SERVER_USERNAME: { default: "opencode", doc: "the basic-auth user name" },
  OPENCODE_LOG_LEVEL: { default: "info", doc: "debug, info, warn or error (`--log-level` sets it)" },
  // Where things live
  OPENCODE_BUN_DATA_DIR: { default: "$XDG_DATA_HOME/opencode-bun", doc: "database, credentials, snapshots, logs" },
  OPENCODE_BUN_STATE_DIR: { default: "$XDG_STATE_HOME/opencode-bun", doc: "state kept between runs" },
  OPENCODE_BUN_CACHE_DIR: { default: "$XDG_CACHE_HOME/opencode-bun", doc: "models.dev catalog, installed plugins" },
  OPENCODE_CONFIG_DIR: { default: "$XDG_CONFIG_HOME/opencode", doc: "the user's opencode config directory (shared with opencode)" },
  OPENCODE_TEST_HOME: { default: "the user's home", doc: "home directory for `~/.opencode` (tests)" },
  XDG_DATA_HOME: { default: "~/.local/share", doc: "base of the data directory (absolute paths only)" },
  XDG_STATE_HOME: { default: "~/.local/state", doc: "base of the state directory (absolute paths only)" },
  XDG_CACHE_HOME: { default: "~/.cache", doc: "base of the cache directory (absolute paths only)" },
  XDG_CONFIG_HOME: { default: "~/.config", doc: "base of the config directory (absolute paths only)" },
  // Config
  OPENCODE_CONFIG: { default: "unset", doc: "one more config file, above the global ones" },
  OPENCODE_CONFIG_CONTENT: { default: "unset", doc: "config JSON that wins over every file" },
  // Limits (the `serve` flags win; see "Limits")
  OPENCODE_MAX_BODY_BYTES: { default: "52428800 (50 MiB)", doc: "largest request body (`--max-body-bytes`)" },
  OPENCODE_SSE_MAX_STREAMS: { default: "1000", doc: "open event streams at once (`--max-event-streams`)" },
  OPENCODE_SSE_BACKLOG_BYTES: { default: "16777216 (16 MiB)", doc: "events waiting for one stream before it is cut" },
  OPENCODE_SSE_STALL_MS: { default: "30000", doc: "ms a stream's socket may accept nothing before it is cut" },
  OPENCODE_SSE_HEARTBEAT_MS: { default: "10000", doc: "ms between heartbeats on an idle event stream" },
  OPENCODE_MAX_PTYS: { default: "64", doc: "running terminals across all projects (`--max-ptys`)" },
  OPENCODE_PTY_BACKLOG_BYTES: { default: "2097152 (2 MiB)", doc: "unsent bytes on a terminal WebSocket before it is closed" },
  OPENCODE_MAX_PROMPTS: { default: "64", doc: "prompts running at once (`--max-prompts`)" },
  OPENCODE_EVENT_HISTORY: { default: "20000", doc: "events kept for Last-Event-ID replay (read at start-up)" },
  OPENCODE_EVENT_HISTORY_BYTES: { default: "33554432 (32 MiB)", doc: "bytes of events kept for replay (read at start-up)" },
  OPENCODE_GC_GROWTH: { default: "1.5", doc: "full garbage collection after a prompt once the heap grew this many times since the last one; 0 turns it off (read at start-up)" },
  // Models and sign-in
  OPENCODE_DISABLE_MODELS_FETCH: { default: "unset", doc: "never refresh the catalog from models.dev" },
  OPENCODE_MODELS_URL: { default: "https://models.dev", doc: "fetch `<url>/api.json` instead" },
  OPENCODE_BUN_MODELS_TIMEOUT: { default: "10000", doc: "ms one catalog fetch may take" },
  OPENCODE_BUN_MODELS_REFRESH: { default: "3600000", doc: "least ms between two catalog fetches" },
  OPENCODE_BUN_AUTH_ORIGINS: { default: "unset", doc: "`from=to,...`: send a built-in sign-in or model endpoint to another origin" },
  OPENCODE_BUN_AUTH_CALLBACK_PORT: { default: "per provider", doc: "port of every loopback sign-in callback; 0 = any" },
  OPENCODE_BUN_AUTH_HTTP_TIMEOUT: { default: "15000", doc: "ms one identity-provider request may take" },
  GITLAB_INSTANCE_URL: { default: "https://gitlab.com", doc: "GitLab instance for sign-in when none is given" },
  GITLAB_OAUTH_CLIENT_ID: { default: "opencode's GitLab app", doc: "OAuth application id for GitLab sign-in" },
  // Tools, plugins, language servers
  OPENCODE_EXPERIMENTAL_DISABLE_FILEWATCHER: { default: "unset", doc: "do not watch project files" },
  OPENCODE_FORMAT_TIMEOUT: { default: "10000", doc: "ms one formatter run may take (read at start-up)" },
  OPENCODE_LSP_INIT_TIMEOUT: { default: "45000", doc: "ms a language server may take to start (read at start-up)" },
  OPENCODE_LSP_DIAGNOSTICS_WAIT: { default: "5000", doc: "ms to wait for diagnostics after an edit (read at start-up)" },
  OPENCODE_LSP_FIRST_DIAGNOSTICS_WAIT: { default: "20000", doc: "the same for a server's first file (read at start-up)" },
  OPENCODE_MCP_TOOL_TIMEOUT: { default: "300000", doc: "ms one MCP tool call may take" },
  OPENCODE_PLUGIN_HOOK_TIMEOUT_MS: { default: "30000", doc: "ms one plugin hook call may take" },
  OPENCODE_PLUGIN_INSTALL_TIMEOUT_MS: { default: "180000", doc: "ms an npm plugin install may take (read at start-up)" },
  OPENCODE_PLUGIN_BUNDLE: { default: "unset", doc: "bundle plugins before import, as the compiled binary does (tests)" },
  OPENCODE_REPO_CLONE_GITHUB_BASE_URL: { default: "https://github.com", doc: "mirror for GitHub shorthand repositories" },
} as const satisfies Record<string, Setting>

export type SettingName = keyof typeof SETTINGS
type Source = Record<string, string | undefined>

/** The raw value: the one place our settings are taken from the environment. */
export function setting(name: SettingName, source: Source = process.env): string | undefined {
  return source[name]
}

/** A number ≥ `min` (0 unless given), or the fallback when unset, empty or not a number. */
export function numberSetting(name: SettingName, fallback: number, min = 0): number {
  const raw = setting(name)
  const n = raw === undefined || raw === "" ? NaN : Number(raw)
  return Number.isFinite(n) && n >= min ? n : fallback
}

/** Set to anything but empty, "0" or "false". */
export function flagSetting(name: SettingName): boolean {
  const v = setting(name)
  return v !== undefined && v !== "" && v !== "0" && v !== "false"
}

/** Variables the server's children must not inherit: its own credentials. */
export const SERVER_SECRETS: readonly SettingName[] = ["OPENCODE_SERVER_PASSWORD", "OPENCODE_SERVER_USERNAME"]
