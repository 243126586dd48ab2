import type { Instance } from "../../project/instance"
import { getConfig } from "../../config/config"
import { getModel, smallModel } from "../../provider"
import { createLog } from "../../util/log"
import type { Part, Session } from "../schema"
import * as Sessions from "../session"
import * as Store from "../store"
import instructions from "./text/title.txt" with { type: "text" }

const log = createLog("session.title")
const MAX = 100

/**
 * Names a session after its first prompt, in the background: the small model's title, or
 * the prompt's first line when that fails. Child sessions and renamed sessions keep theirs.
 * Config `agent.title.disable: true` skips the model call.
 */
export function ensureTitle(instance: Instance, session: Session, parts: Part[], isFirst: boolean) {
  if (session.parentID || !isFirst || !Sessions.isDefaultTitle(session.title)) return
  const text = parts
    .filter((p) => p.type === "text" && !p.synthetic)
    .map((p) => (p as { text: string }).text)
    .join("\n")
    .trim()
  const subtask = parts.find((p) => p.type === "subtask")
  const source = text || (subtask?.type === "subtask" ? subtask.description : "")
  if (!source) return
  void (async () => {
    const generated = await generate(instance, source).catch((e) => {
      log.debug("title generation failed; using the prompt's first line", { error: e })
      return undefined
    })
    const title = generated || firstLine(source)
    const current = Store.get(session.id)
    if (!current || !Sessions.isDefaultTitle(current.title)) return
    current.title = title
    Sessions.save(current)
  })()
}

async function generate(instance: Instance, prompt: string): Promise<string | undefined> {
  const config = await getConfig(instance)
  if (config.agent?.title?.disable === true) return undefined
  const ref = await smallModel(instance)
  const { language } = await getModel(instance, ref)
  const { generateText } = await import("ai")
  const result = await generateText({
    model: language,
    instructions,
    prompt: prompt.slice(0, 8000),
    maxRetries: 1,
    abortSignal: AbortSignal.timeout(30_000),
  })
  const line = result.text
    .replace(/<think>[\s\S]*?<\/think>/g, "")
    .split("\n")
    .map((l) => l.trim().replace(/^["'`]+|["'`.]+$/g, ""))
    .find(Boolean)
  return line ? clip(line) : undefined
}

function firstLine(text: string) {
  return clip(text.split("\n").map((l) => l.trim()).find(Boolean) ?? text.trim())
}

function clip(s: string) {
  return s.length > MAX ? s.slice(0, MAX - 3) + "..." : s
}
