// Makes the README's screenshot (docs/web.png): `bun test/web/ui-readme-shot.ts`.
// A short conversation with a highlighted code block, a tool call and the diff panel open.
import path from "node:path"
import { startWebFixture, waitReady } from "../helpers/browser"
import { sel, sendPrompt, waitForText } from "./ui-steps"

const fx = await startWebFixture({
  source: true,
  files: { "src/greet.ts": 'export function greet(name: string) {\n  return "Hello " + name\n}\n' },
})
try {
  const page = await fx.page({ width: 1200, height: 720 })
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }])
  await page.goto(fx.base + "/")
  await waitReady(page)
  fx.llm.enqueue(
    {
      reasoning: "The greeting should use a template literal.",
      toolCalls: [{ name: "edit", args: { filePath: "src/greet.ts", oldString: '"Hello " + name', newString: "`Hello, ${name}!`" } }],
    },
    {
      text: "Done. `greet` now uses a template literal:\n\n```ts\nexport function greet(name: string) {\n  return `Hello, ${name}!`\n}\n```\n\nThe punctuation changed too, so **update any snapshot tests** that expect the old text.",
    },
  )
  await sendPrompt(page, "Make greet() use a template literal")
  await waitForText(page, sel.assistant, "snapshot tests")
  await page.click("[data-testid=tab-changes]")
  await page.waitForSelector("[data-testid=diff-file]")
  await new Promise((r) => setTimeout(r, 300))
  await page.screenshot({ path: path.join(import.meta.dir, "../../docs/web.png") })
} finally {
  await fx.stop()
}
