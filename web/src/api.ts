// Every URL is relative to the page (no leading "/") so the app also works when a reverse
// proxy serves it under a sub-path.

let directory: string | undefined

export function setDirectory(dir: string | undefined) {
  directory = dir
}

export function currentDirectory() {
  return directory
}

export function apiURL(path: string, query: Record<string, string | undefined> = {}) {
  const url = new URL(path.replace(/^\/+/, ""), document.baseURI)
  if (directory) url.searchParams.set("directory", directory)
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

async function request<T>(method: string, path: string, body?: unknown, query?: Record<string, string | undefined>): Promise<T> {
  const res = await fetch(apiURL(path, query), {
    method,
    credentials: "same-origin",
    headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const data = text ? safeJSON(text) : undefined
  if (!res.ok) throw new ApiError(res.status, errorMessage(data) ?? `${method} ${path} failed: ${res.status}`)
  return data as T
}

function safeJSON(text: string) {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function errorMessage(data: any): string | undefined {
  if (!data || typeof data !== "object") return typeof data === "string" && data ? data : undefined
  return data.data?.message ?? data.message ?? data.error?.message ?? (typeof data.error === "string" ? data.error : undefined)
}

export const api = {
  get: <T>(path: string, query?: Record<string, string | undefined>) => request<T>("GET", path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  del: <T>(path: string) => request<T>("DELETE", path),
}
