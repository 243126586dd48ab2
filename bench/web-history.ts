// A conversation written straight into storage for bench/web.ts: `count` messages, prompts
// and replies in turn, each reply with reasoning, Markdown text with a code block and a
// completed tool call. Returns a text that only the last message shows.
import * as Store from "../src/session/message-store"
import { ascending } from "../src/util/id"
import type { Instance } from "../src/project/instance"

export function fillSession(_instance: Instance, sessionID: string, dir: string, count: number): string {
  const now = Date.now()
  const marker = `last-message-of-${count}`
  const words = "the quick brown fox jumps over the lazy dog while the build runs its tests again"
  Store.batch(() => {
    let userID = ""
    for (let i = 0; i < count; i++) {
      const id = ascending("message")
      const base = { sessionID, messageID: id }
      const last = i === count - 1
      if (i % 2 === 0) {
        userID = id
        Store.putWithParts(
          { id, sessionID, role: "user", time: { created: now + i }, agent: "build", model: { providerID: "mock", modelID: "mock-model" } },
          [{ ...base, id: ascending("part"), type: "text", text: `Request ${i}: ${words}.${last ? ` ${marker}` : ""}` }],
        )
        continue
      }
      const tokens = { input: 1200, output: 300, reasoning: 50, cache: { read: 9000, write: 0 } }
      Store.putWithParts(
        { id, sessionID, role: "assistant", time: { created: now + i, completed: now + i }, parentID: userID, modelID: "mock-model", providerID: "mock", mode: "build", path: { cwd: dir, root: dir }, cost: 0.001, tokens, finish: "stop" } as any,
        [
          { ...base, id: ascending("part"), type: "step-start" },
          { ...base, id: ascending("part"), type: "reasoning", text: `Thinking about step ${i}.`, time: { start: now, end: now } },
          {
            ...base,
            id: ascending("part"),
            type: "tool",
            callID: `call_${i}`,
            tool: "read",
            state: { status: "completed", input: { filePath: `src/file${i}.ts` }, output: `export const value${i} = ${i}\n`, title: `src/file${i}.ts`, metadata: {}, time: { start: now, end: now } },
          },
          { ...base, id: ascending("part"), type: "text", text: `Reply ${i}: **${words}**.\n\n\`\`\`ts\nconst step = ${i}\n\`\`\`\n${last ? marker : ""}`, time: { start: now, end: now } },
          { ...base, id: ascending("part"), type: "step-finish", reason: "stop", cost: 0.001, tokens },
        ] as any,
      )
    }
  })
  return marker
}
