import { NamedError } from "../util/error"

export type ConfigIssue = { path: string; message: string }

/**
 * A config source that cannot be used: names the file (or "OPENCODE_CONFIG_CONTENT", or the
 * PATCH body) and the field. 400 when it answers a request (PATCH /config).
 */
export class ConfigInvalidError extends NamedError {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    const first = issues.slice(0, 3).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : ""
    super("ConfigInvalidError", { message: `Invalid config ${file}: ${first.join("; ")}${more}`, path: file, issues }, 400)
  }
}
