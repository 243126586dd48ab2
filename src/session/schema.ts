import { t, type Static } from "../util/schema"
import { PermissionRule } from "../permission/session-rules"

// The v1 wire contract (@opencode-ai/sdk dist/gen/types.gen.d.ts). Each schema carries a
// $id so /doc names it as a component, exactly as the SDK names the type.

const Time = t.Object({ start: t.Number(), end: t.Optional(t.Number()) })
const Meta = t.Record(t.String(), t.Unknown())
export const Tokens = t.Object({
  total: t.Optional(t.Number({ description: "input + output + reasoning + cache read and write (opencode 1.18)" })),
  input: t.Number(),
  output: t.Number(),
  reasoning: t.Number(),
  cache: t.Object({ read: t.Number(), write: t.Number() }),
})
export type Tokens = Static<typeof Tokens>

export const FileDiff = t.Object(
  {
    file: t.String(),
    before: t.String(),
    after: t.String(),
    additions: t.Number(),
    deletions: t.Number(),
    // What 1.18 sends: its TUI's diff view draws only `patch`.
    patch: t.Optional(t.String({ description: "Unified diff of the change (empty for binary files)" })),
    status: t.Optional(t.Union([t.Literal("added"), t.Literal("deleted"), t.Literal("modified")])),
  },
  { $id: "FileDiff" },
)
export type FileDiff = Static<typeof FileDiff>

export const Session = t.Object(
  {
    id: t.String(),
    slug: t.String({ description: "Short readable name, stable for the session's life (opencode 1.18)" }),
    projectID: t.String(),
    directory: t.String(),
    parentID: t.Optional(t.String()),
    summary: t.Optional(
      t.Object({ additions: t.Number(), deletions: t.Number(), files: t.Number(), diffs: t.Optional(t.Array(FileDiff)) }),
    ),
    share: t.Optional(t.Object({ url: t.String() })),
    title: t.String(),
    version: t.String(),
    // Totals of the session's own replies, kept as each turn ends (what 1.18's clients show).
    cost: t.Optional(t.Number()),
    tokens: t.Optional(Tokens),
    /** The agent and model of the latest prompt. */
    agent: t.Optional(t.String()),
    model: t.Optional(t.Object({ id: t.String(), providerID: t.String(), variant: t.Optional(t.String()) })),
    metadata: t.Optional(t.Record(t.String(), t.Unknown())),
    /** The session's own permission rules (POST /session, PATCH), applied after config and agent rules. */
    permission: t.Optional(t.Array(PermissionRule)),
    time: t.Object({ created: t.Number(), updated: t.Number(), compacting: t.Optional(t.Number()), archived: t.Optional(t.Number()) }),
    revert: t.Optional(
      t.Object({ messageID: t.String(), partID: t.Optional(t.String()), snapshot: t.Optional(t.String()), diff: t.Optional(t.String()) }),
    ),
  },
  { $id: "Session" },
)
export type Session = Static<typeof Session>

export const SessionStatus = t.Union(
  [
    t.Object({ type: t.Literal("idle") }),
    t.Object({ type: t.Literal("retry"), attempt: t.Number(), message: t.String(), next: t.Number() }),
    t.Object({ type: t.Literal("busy") }),
  ],
  { $id: "SessionStatus" },
)
export type SessionStatus = Static<typeof SessionStatus>

export const Todo = t.Object(
  {
    content: t.String({ description: "Brief description of the task" }),
    status: t.String({ description: "Current status of the task: pending, in_progress, completed, cancelled" }),
    priority: t.String({ description: "Priority level of the task: high, medium, low" }),
    id: t.String({ description: "Unique identifier for the todo item" }),
  },
  { $id: "Todo" },
)
export type Todo = Static<typeof Todo>

// ---- message errors ----
export const ProviderAuthError = t.Object(
  { name: t.Literal("ProviderAuthError"), data: t.Object({ providerID: t.String(), message: t.String() }) },
  { $id: "ProviderAuthError" },
)
export const UnknownError = t.Object({ name: t.Literal("UnknownError"), data: t.Object({ message: t.String() }) }, { $id: "UnknownError" })
export const MessageOutputLengthError = t.Object(
  { name: t.Literal("MessageOutputLengthError"), data: t.Record(t.String(), t.Unknown()) },
  { $id: "MessageOutputLengthError" },
)
export const MessageAbortedError = t.Object(
  { name: t.Literal("MessageAbortedError"), data: t.Object({ message: t.String() }) },
  { $id: "MessageAbortedError" },
)
export const APIError = t.Object(
  {
    name: t.Literal("APIError"),
    data: t.Object({
      message: t.String(),
      statusCode: t.Optional(t.Number()),
      isRetryable: t.Boolean(),
      responseHeaders: t.Optional(t.Record(t.String(), t.String())),
      responseBody: t.Optional(t.String()),
    }),
  },
  { $id: "APIError" },
)
export type APIError = Static<typeof APIError>
export const MessageError = t.Union([ProviderAuthError, UnknownError, MessageOutputLengthError, MessageAbortedError, APIError])
export type MessageError = Static<typeof MessageError>

// ---- messages ----
export const ModelRef = t.Object({ providerID: t.String(), modelID: t.String(), variant: t.Optional(t.String()) })
export type ModelRef = Static<typeof ModelRef>

export const UserMessage = t.Object(
  {
    id: t.String(),
    sessionID: t.String(),
    role: t.Literal("user"),
    time: t.Object({ created: t.Number() }),
    summary: t.Optional(t.Object({ title: t.Optional(t.String()), body: t.Optional(t.String()), diffs: t.Array(FileDiff) })),
    agent: t.String(),
    model: ModelRef,
    system: t.Optional(t.String()),
    tools: t.Optional(t.Record(t.String(), t.Boolean())),
  },
  { $id: "UserMessage" },
)
export type UserMessage = Static<typeof UserMessage>

export const AssistantMessage = t.Object(
  {
    id: t.String(),
    sessionID: t.String(),
    role: t.Literal("assistant"),
    time: t.Object({ created: t.Number(), completed: t.Optional(t.Number()) }),
    error: t.Optional(MessageError),
    parentID: t.String(),
    modelID: t.String(),
    providerID: t.String(),
    mode: t.String(),
    agent: t.Optional(t.String()),
    variant: t.Optional(t.String()),
    path: t.Object({ cwd: t.String(), root: t.String() }),
    summary: t.Optional(t.Boolean()),
    cost: t.Number(),
    tokens: Tokens,
    finish: t.Optional(t.String()),
  },
  { $id: "AssistantMessage" },
)
export type AssistantMessage = Static<typeof AssistantMessage>

export const Message = t.Union([UserMessage, AssistantMessage], { $id: "Message" })
export type Message = Static<typeof Message>

// ---- parts ----
const PartBase = { id: t.String(), sessionID: t.String(), messageID: t.String() }

export const TextPart = t.Object(
  {
    ...PartBase,
    type: t.Literal("text"),
    text: t.String(),
    synthetic: t.Optional(t.Boolean()),
    ignored: t.Optional(t.Boolean()),
    time: t.Optional(Time),
    metadata: t.Optional(Meta),
  },
  { $id: "TextPart" },
)
export type TextPart = Static<typeof TextPart>

export const SubtaskPart = t.Object(
  { ...PartBase, type: t.Literal("subtask"), prompt: t.String(), description: t.String(), agent: t.String() },
  { $id: "SubtaskPart" },
)
export type SubtaskPart = Static<typeof SubtaskPart>

export const ReasoningPart = t.Object(
  { ...PartBase, type: t.Literal("reasoning"), text: t.String(), metadata: t.Optional(Meta), time: Time },
  { $id: "ReasoningPart" },
)
export type ReasoningPart = Static<typeof ReasoningPart>

export const FilePartSourceText = t.Object({ value: t.String(), start: t.Number(), end: t.Number() }, { $id: "FilePartSourceText" })
export const Range = t.Object(
  {
    start: t.Object({ line: t.Number(), character: t.Number() }),
    end: t.Object({ line: t.Number(), character: t.Number() }),
  },
  { $id: "Range" },
)
export const FileSource = t.Object({ text: FilePartSourceText, type: t.Literal("file"), path: t.String() }, { $id: "FileSource" })
export const SymbolSource = t.Object(
  { text: FilePartSourceText, type: t.Literal("symbol"), path: t.String(), range: Range, name: t.String(), kind: t.Number() },
  { $id: "SymbolSource" },
)
export const FilePartSource = t.Union([FileSource, SymbolSource], { $id: "FilePartSource" })

export const FilePart = t.Object(
  {
    ...PartBase,
    type: t.Literal("file"),
    mime: t.String(),
    filename: t.Optional(t.String()),
    url: t.String(),
    source: t.Optional(FilePartSource),
  },
  { $id: "FilePart" },
)
export type FilePart = Static<typeof FilePart>

const Input = t.Record(t.String(), t.Unknown())
export const ToolStatePending = t.Object({ status: t.Literal("pending"), input: Input, raw: t.String() }, { $id: "ToolStatePending" })
export const ToolStateRunning = t.Object(
  { status: t.Literal("running"), input: Input, title: t.Optional(t.String()), metadata: t.Optional(Meta), time: t.Object({ start: t.Number() }) },
  { $id: "ToolStateRunning" },
)
export const ToolStateCompleted = t.Object(
  {
    status: t.Literal("completed"),
    input: Input,
    output: t.String(),
    title: t.String(),
    metadata: Meta,
    time: t.Object({ start: t.Number(), end: t.Number(), compacted: t.Optional(t.Number()) }),
    attachments: t.Optional(t.Array(FilePart)),
  },
  { $id: "ToolStateCompleted" },
)
export const ToolStateError = t.Object(
  { status: t.Literal("error"), input: Input, error: t.String(), metadata: t.Optional(Meta), time: t.Object({ start: t.Number(), end: t.Number() }) },
  { $id: "ToolStateError" },
)
export const ToolState = t.Union([ToolStatePending, ToolStateRunning, ToolStateCompleted, ToolStateError], { $id: "ToolState" })
export type ToolState = Static<typeof ToolState>

export const ToolPart = t.Object(
  { ...PartBase, type: t.Literal("tool"), callID: t.String(), tool: t.String(), state: ToolState, metadata: t.Optional(Meta) },
  { $id: "ToolPart" },
)
export type ToolPart = Static<typeof ToolPart>

export const StepStartPart = t.Object({ ...PartBase, type: t.Literal("step-start"), snapshot: t.Optional(t.String()) }, { $id: "StepStartPart" })
export type StepStartPart = Static<typeof StepStartPart>
export const StepFinishPart = t.Object(
  { ...PartBase, type: t.Literal("step-finish"), reason: t.String(), snapshot: t.Optional(t.String()), cost: t.Number(), tokens: Tokens },
  { $id: "StepFinishPart" },
)
export type StepFinishPart = Static<typeof StepFinishPart>
export const SnapshotPart = t.Object({ ...PartBase, type: t.Literal("snapshot"), snapshot: t.String() }, { $id: "SnapshotPart" })
export const PatchPart = t.Object({ ...PartBase, type: t.Literal("patch"), hash: t.String(), files: t.Array(t.String()) }, { $id: "PatchPart" })
export type PatchPart = Static<typeof PatchPart>
export const AgentPart = t.Object(
  { ...PartBase, type: t.Literal("agent"), name: t.String(), source: t.Optional(t.Object({ value: t.String(), start: t.Number(), end: t.Number() })) },
  { $id: "AgentPart" },
)
export type AgentPart = Static<typeof AgentPart>
export const RetryPart = t.Object(
  { ...PartBase, type: t.Literal("retry"), attempt: t.Number(), error: APIError, time: t.Object({ created: t.Number() }) },
  { $id: "RetryPart" },
)
export type RetryPart = Static<typeof RetryPart>
export const CompactionPart = t.Object({ ...PartBase, type: t.Literal("compaction"), auto: t.Boolean() }, { $id: "CompactionPart" })
export type CompactionPart = Static<typeof CompactionPart>

export const Part = t.Union(
  [TextPart, SubtaskPart, ReasoningPart, FilePart, ToolPart, StepStartPart, StepFinishPart, SnapshotPart, PatchPart, AgentPart, RetryPart, CompactionPart],
  { $id: "Part" },
)
export type Part = Static<typeof Part>

export const MessageWithParts = t.Object({ info: Message, parts: t.Array(Part) })
export type MessageWithParts = Static<typeof MessageWithParts>

// ---- prompt input ----
export const TextPartInput = t.Object(
  {
    id: t.Optional(t.String()),
    type: t.Literal("text"),
    text: t.String(),
    synthetic: t.Optional(t.Boolean()),
    ignored: t.Optional(t.Boolean()),
    time: t.Optional(Time),
    metadata: t.Optional(Meta),
  },
  { $id: "TextPartInput" },
)
export const FilePartInput = t.Object(
  {
    id: t.Optional(t.String()),
    type: t.Literal("file"),
    mime: t.String(),
    filename: t.Optional(t.String()),
    url: t.String(),
    source: t.Optional(FilePartSource),
  },
  { $id: "FilePartInput" },
)
export const AgentPartInput = t.Object(
  {
    id: t.Optional(t.String()),
    type: t.Literal("agent"),
    name: t.String(),
    source: t.Optional(t.Object({ value: t.String(), start: t.Number(), end: t.Number() })),
  },
  { $id: "AgentPartInput" },
)
export const SubtaskPartInput = t.Object(
  { id: t.Optional(t.String()), type: t.Literal("subtask"), prompt: t.String(), description: t.String(), agent: t.String() },
  { $id: "SubtaskPartInput" },
)
export const PartInput = t.Union([TextPartInput, FilePartInput, AgentPartInput, SubtaskPartInput])
export type PartInput = Static<typeof PartInput>

export const PromptInput = t.Object({
  messageID: t.Optional(t.String()),
  model: t.Optional(ModelRef),
  agent: t.Optional(t.String()),
  noReply: t.Optional(t.Boolean()),
  system: t.Optional(t.String()),
  tools: t.Optional(t.Record(t.String(), t.Boolean())),
  variant: t.Optional(t.String({ description: "The model variant (e.g. a reasoning effort) to use, kept on the user message's model" })),
  parts: t.Array(PartInput),
})
export type PromptInput = Static<typeof PromptInput>
