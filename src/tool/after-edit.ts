import { Bus } from "../bus"
import { FileEdited } from "../session/events"
import { createLog } from "../util/log"
import { recordSeen } from "./file-times"
import type { ToolContext } from "./tool"

const log = createLog("tool.after-edit")

/**
 * What follows every file change a tool makes: the project's formatter, the file.edited
 * event, and the language server's verdict. Returns the diagnostics ("" when clean); a
 * failing formatter or language server never fails the edit itself.
 */
export async function afterEdit(ctx: ToolContext, absolute: string): Promise<string> {
  try {
    const format = await import("../format")
    await format.formatFile(ctx.instance, absolute)
  } catch (error) {
    log.warn("formatter failed", { file: absolute, error })
  }
  recordSeen(ctx, absolute)
  Bus.publish(ctx.instance.directory, FileEdited, { file: absolute })
  try {
    const lsp = await import("../lsp")
    await lsp.touchFile(ctx.instance, absolute)
    return await lsp.diagnosticsFor(ctx.instance, absolute)
  } catch (error) {
    log.warn("diagnostics failed", { file: absolute, error })
    return ""
  }
}

/** The tail a write/edit output gets so the model sees what its change broke. */
export function diagnosticsNote(diagnostics: string): string {
  return diagnostics ? `\n\nThe language server reports problems in this file; fix them:\n${diagnostics}` : ""
}
