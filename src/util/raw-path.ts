/**
 * The request path exactly as the router cuts it out of `request.url`: from the first "/"
 * after the scheme up to the first "?", nothing decoded or resolved. Checks that let a request
 * skip auth must read the path this way, never through `new URL().pathname`, which resolves
 * `%2e%2e` and drops `#...` and so could see a different path than the router does.
 */
export function rawPath(url: string): string {
  const scheme = url.indexOf("://")
  const start = url.indexOf("/", scheme < 0 ? 0 : scheme + 3)
  if (start < 0) return "/"
  const end = url.indexOf("?", start)
  return end < 0 ? url.slice(start) : url.slice(start, end)
}
