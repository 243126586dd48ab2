import { numberSetting, type SettingName } from "./settings"

// Every resource bound a client can push against, in one place: the defaults, the environment
// variables that raise or lower them, and the `opencode serve` flags (which win). Values are read
// when used, so a server started with other limits (a test, a second server) gets its own.

export type Limits = {
  /** Largest request body accepted, in bytes (413 beyond). */
  bodyBytes: number
  /** Open event streams (/event, /global/event) at once (503 beyond). */
  eventStreams: number
  /** Bytes of events waiting for one stream whose socket is not draining before it is cut. */
  streamBacklogBytes: number
  /** How long a stream's socket may accept nothing while we have something to send before it is cut. */
  streamStallMs: number
  /** Running terminals across all directories (503 beyond). */
  ptys: number
  /** Bytes a terminal's WebSocket may hold unsent before it is cut (the client reconnects with its cursor). */
  ptyBacklogBytes: number
  /** Prompts running at once across all sessions (429 beyond). */
  prompts: number
}

const MiB = 1024 * 1024

/** Each default, its variable and its flag: the README's limits table says the same. */
export const LIMITS: Record<keyof Limits, { fallback: number; env: SettingName; flag?: string }> = {
  bodyBytes: { fallback: 50 * MiB, env: "OPENCODE_MAX_BODY_BYTES", flag: "max-body-bytes" },
  eventStreams: { fallback: 1_000, env: "OPENCODE_SSE_MAX_STREAMS", flag: "max-event-streams" },
  streamBacklogBytes: { fallback: 16 * MiB, env: "OPENCODE_SSE_BACKLOG_BYTES" },
  streamStallMs: { fallback: 30_000, env: "OPENCODE_SSE_STALL_MS" },
  ptys: { fallback: 64, env: "OPENCODE_MAX_PTYS", flag: "max-ptys" },
  ptyBacklogBytes: { fallback: 2 * MiB, env: "OPENCODE_PTY_BACKLOG_BYTES" },
  prompts: { fallback: 64, env: "OPENCODE_MAX_PROMPTS", flag: "max-prompts" },
}

let overrides: Partial<Limits> = {}

/** The limits given on the command line (or by whoever starts the server); replaces earlier ones. */
export function setLimits(given: Partial<Limits>) {
  overrides = { ...given }
}

export function limit<K extends keyof Limits>(key: K): number {
  const given = overrides[key]
  if (given !== undefined) return given
  return numberSetting(LIMITS[key].env, LIMITS[key].fallback, Number.MIN_VALUE)
}
