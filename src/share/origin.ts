// A host[:port] or [ipv6][:port]; anything else in a header is ignored rather than echoed into a URL.
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

function first(value: string | null): string | undefined {
  return value?.split(",")[0]?.trim() || undefined
}

/**
 * The origin the asking client reached us by, so the share link works for it: a reverse
 * proxy's X-Forwarded-Host / X-Forwarded-Proto when present, else the Host header.
 */
export function requestOrigin(request: Request): string {
  const url = new URL(request.url)
  const host = [first(request.headers.get("x-forwarded-host")), first(request.headers.get("host"))].find((h) => h && HOST.test(h)) ?? url.host
  const fwdProto = first(request.headers.get("x-forwarded-proto"))?.toLowerCase()
  const proto = fwdProto === "http" || fwdProto === "https" ? fwdProto : url.protocol.replace(/:$/, "")
  return `${proto}://${host}`
}
