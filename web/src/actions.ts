import { api, setDirectory, currentDirectory } from "./api"
import { connectEvents, holdSession, onCurrentDeleted, onSessionError, releaseSession } from "./events"
import { readRoute, writeRoute } from "./route"
import { state, emit, toast, bump, upsert } from "./store"
import type { Agent, Command, FileDiff, Message, Part, PermissionRequest, Project, Provider, Session, SessionStatus, Todo, Path, FilePartInput } from "./types"

type WithParts = { info: Message; parts: Part[] }

export function fail(err: unknown) {
  toast(err instanceof Error ? err.message : String(err), "error")
}

/** Loads everything the page shows for the current directory (first load and resync). */
async function reload() {
  const [path, sessions, status, perms, agents, providers, commands, config, projects] = await Promise.all([
    api.get<Path>("path"),
    api.get<Session[]>("session"),
    api.get<Record<string, SessionStatus>>("session/status"),
    api.get<PermissionRequest[]>("permission"),
    api.get<Agent[]>("agent"),
    api.get<{ providers: Provider[]; default: Record<string, string> }>("config/providers"),
    api.get<Command[]>("command").catch(() => [] as Command[]),
    api.get<{ model?: string }>("config").catch(() => ({}) as { model?: string }),
    api.get<Project[]>("project").catch(() => [] as Project[]),
  ])
  state.path = path
  state.sessions = new Map(sessions.map((s) => [s.id, s]))
  state.status = new Map(Object.entries(status))
  state.permissions = new Map(perms.map((p) => [p.id, p]))
  state.agents = agents
  state.providers = providers.providers
  state.defaults = providers.default
  state.commands = commands
  state.configModel = config.model
  state.projects = projects
  pickDefaults()
  // Keep what is on screen until its fresh copy arrives: no flash of an empty conversation.
  const loaded = [...state.messages.keys()]
  for (const id of loaded) if (!state.sessions.has(id)) state.messages.delete(id)
  const want = state.sessionID && state.sessions.has(state.sessionID) ? state.sessionID : latestRoot()?.id
  await Promise.all([...new Set([...loaded, want].filter((id): id is string => !!id && state.sessions.has(id)))].map(loadSession))
  if (!state.ready) selectSession(want)
  else if (state.sessionID && !state.sessions.has(state.sessionID)) selectSession(latestRoot()?.id)
  state.ready = true
  emit()
}

function pickDefaults() {
  const primary = state.agents.filter((a) => a.mode !== "subagent" && !(a as any).hidden)
  if (!primary.some((a) => a.name === state.agent)) state.agent = primary[0]?.name ?? "build"
  if (state.model && state.providers.some((p) => p.id === state.model!.providerID && p.models[state.model!.modelID])) return
  const [providerID, ...rest] = (state.configModel ?? "").split("/")
  const modelID = rest.join("/")
  if (providerID && state.providers.find((p) => p.id === providerID)?.models[modelID]) state.model = { providerID, modelID }
  else {
    const p = state.providers[0]
    state.model = p ? { providerID: p.id, modelID: state.defaults[p.id] ?? Object.keys(p.models)[0] } : undefined
  }
}

export function latestRoot() {
  return [...state.sessions.values()].filter((s) => !s.parentID).sort((a, b) => b.time.updated - a.time.updated)[0]
}

export async function loadSession(id: string) {
  holdSession(id)
  try {
    const [messages, todos, diff] = await Promise.all([
      api.get<WithParts[]>(`session/${id}/message`),
      api.get<Todo[]>(`session/${id}/todo`).catch(() => [] as Todo[]),
      api.get<FileDiff[]>(`session/${id}/diff`).catch(() => [] as FileDiff[]),
    ])
    state.messages.set(
      id,
      messages.map((m) => m.info),
    )
    for (const m of messages) {
      state.parts.set(m.info.id, m.parts)
      bump(m.info.id)
    }
    state.todos.set(id, todos)
    state.diffs.set(id, diff)
  } finally {
    releaseSession(id)
  }
}

export function selectSession(id: string | undefined) {
  state.sessionID = id
  writeRoute({ sessionID: id, directory: currentDirectory() })
  state.sidebar = false
  emit()
  if (id && !state.messages.has(id)) loadSession(id).then(emit, fail)
}

export async function start() {
  onSessionError((text) => toast(text, "error"))
  onCurrentDeleted(() => queueMicrotask(() => selectSession(latestRoot()?.id)))
  const route = readRoute()
  setDirectory(route.directory)
  state.sessionID = route.sessionID
  connectEvents(async () => {
    try {
      await reload()
    } catch (err) {
      fail(err)
      throw err
    }
  })
}

export function switchProject(directory: string | undefined) {
  setDirectory(directory)
  state.ready = false
  state.sessionID = undefined
  state.messages.clear()
  state.parts.clear()
  writeRoute({ directory })
  emit()
  void start()
}

export async function newSession(parentID?: string) {
  const s = await api.post<Session>("session", parentID ? { parentID } : {})
  state.sessions.set(s.id, s)
  state.messages.set(s.id, [])
  selectSession(s.id)
  return s
}

/** Without a session yet ("ready at once" on a fresh project) the first send creates one. */
async function ensureSession() {
  if (state.sessionID && state.sessions.has(state.sessionID)) return state.sessionID
  return (await newSession()).id
}

function modelString() {
  return state.model ? `${state.model.providerID}/${state.model.modelID}` : undefined
}

export async function send(text: string, files: FilePartInput[]) {
  const id = await ensureSession()
  if (text.startsWith("!") && files.length === 0) {
    const command = text.slice(1).trim()
    if (!command) return
    return void api.post(`session/${id}/shell`, { agent: state.agent, model: state.model, command }).catch(fail)
  }
  const pending = { sessionID: id, text }
  state.outbox.push(pending)
  emit()
  const unsend = (err: unknown) => {
    state.outbox = state.outbox.filter((o) => o !== pending)
    fail(err)
  }
  const slash = /^\/(\S+)\s*([\s\S]*)$/.exec(text)
  if (slash && state.commands.some((c) => c.name === slash[1]))
    // Answers when the command's reply is complete; its progress arrives as events meanwhile.
    return void api.post(`session/${id}/command`, { command: slash[1], arguments: slash[2], agent: state.agent, model: modelString() }).catch(unsend)
  const parts = [{ type: "text", text }, ...files]
  await api.post(`session/${id}/prompt_async`, { parts, agent: state.agent, model: state.model }).catch(unsend)
}

export const abort = (id: string) => api.post(`session/${id}/abort`).catch(fail)

export async function rename(id: string, title: string) {
  const s = await api.patch<Session>(`session/${id}`, { title })
  state.sessions.set(s.id, s)
  emit()
}

export async function remove(id: string) {
  await api.del(`session/${id}`)
  state.sessions.delete(id)
  if (state.sessionID === id) selectSession(latestRoot()?.id)
  emit()
}

export async function fork(id: string, messageID?: string) {
  const s = await api.post<Session>(`session/${id}/fork`, messageID ? { messageID } : {})
  state.sessions.set(s.id, s)
  selectSession(s.id)
}

export async function revert(id: string, messageID: string) {
  const s = await api.post<Session>(`session/${id}/revert`, { messageID })
  state.sessions.set(s.id, s)
  await refreshDiff(id)
}

export async function unrevert(id: string) {
  const s = await api.post<Session>(`session/${id}/unrevert`)
  state.sessions.set(s.id, s)
  await refreshDiff(id)
}

export async function refreshDiff(id: string) {
  state.diffs.set(id, await api.get<FileDiff[]>(`session/${id}/diff`))
  emit()
}

export async function answerPermission(req: PermissionRequest, response: "once" | "always" | "reject") {
  await api.post(`session/${req.sessionID}/permissions/${req.id}`, { response })
  state.permissions.delete(req.id)
  if (req.tool) bump(req.tool.messageID)
  emit()
}

export async function connectProvider(id: string, key: string) {
  await api.put(`auth/${id}`, { type: "api", key })
  const providers = await api.get<{ providers: Provider[]; default: Record<string, string> }>("config/providers")
  state.providers = providers.providers
  state.defaults = providers.default
  pickDefaults()
  emit()
}

export { upsert }
