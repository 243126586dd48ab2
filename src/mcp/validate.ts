/** Why a config `mcp` entry can't be used, or undefined when it can (the config file isn't schema-checked yet). */
export function configProblem(c: unknown): string | undefined {
  if (!c || typeof c !== "object" || Array.isArray(c)) return "expected an object"
  const o = c as Record<string, unknown>
  const strings = (v: unknown) => v === undefined || (!!v && typeof v === "object" && Object.values(v).every((x) => typeof x === "string"))
  if (o.enabled !== undefined && typeof o.enabled !== "boolean") return "`enabled` must be a boolean"
  if (o.timeout !== undefined && !(Number.isInteger(o.timeout) && (o.timeout as number) > 0)) return "`timeout` must be a positive integer (ms)"
  if (o.type === "local") {
    if (!Array.isArray(o.command) || !o.command.length || !o.command.every((x) => typeof x === "string"))
      return "`command` must be a non-empty array of strings"
    if (!strings(o.environment)) return "`environment` must map names to strings"
    if (o.cwd !== undefined && typeof o.cwd !== "string") return "`cwd` must be a string"
    return
  }
  if (o.type === "remote") {
    if (typeof o.url !== "string" || !o.url) return "`url` must be a non-empty string"
    if (!strings(o.headers)) return "`headers` must map names to strings"
    return
  }
  return '`type` must be "local" or "remote"'
}
