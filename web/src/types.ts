// Shapes come from the official v1 SDK (type-only: nothing of the SDK is bundled), plus the
// few documented routes of our server the v1 SDK does not describe (GET /permission).
export type {
  Agent,
  Command,
  FileContent,
  FileDiff,
  FileNode,
  File as FileStatus,
  Message,
  AssistantMessage,
  UserMessage,
  Part,
  ToolPart,
  Project,
  Provider,
  Model,
  Session,
  SessionStatus,
  Todo,
  Path,
  Event,
  FilePartInput,
  TextPartInput,
} from "@opencode-ai/sdk"

/** GET /permission and the `permission.asked` event (opencode 1.18 shape). */
export type PermissionRequest = {
  id: string
  sessionID: string
  permission: string
  patterns: string[]
  metadata: Record<string, unknown>
  always: string[]
  tool?: { messageID: string; callID: string }
  title?: string
}

/** GET /provider */
export type ProviderList = {
  all: { id: string; name: string; env: string[]; models: Record<string, { id: string; name: string }> }[]
  default: Record<string, string>
  connected: string[]
}

export type ModelRef = { providerID: string; modelID: string }
