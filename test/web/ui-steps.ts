// Steps the journey tests share: what a person does in the app, through its labels and test ids.
import type { Page } from "puppeteer-core"

export const sel = {
  prompt: "[data-testid=prompt-input]",
  assistant: "[data-testid=message-assistant]",
  assistantDone: "[data-testid=message-assistant][data-done]",
  user: "[data-testid=message-user]",
  permission: "[data-testid=permission]",
  stop: "[data-testid=stop]",
  working: "[data-testid=working]",
}

export async function sendPrompt(page: Page, text: string) {
  await page.click(sel.prompt)
  await page.type(sel.prompt, text)
  await page.keyboard.press("Enter")
}

/** The text of every assistant message on screen, in order. */
export function assistantTexts(page: Page): Promise<string[]> {
  return page.$$eval(sel.assistant, (els) => els.map((e) => (e as HTMLElement).innerText))
}

/** Waits until some element matching `selector` contains `text`. */
export async function waitForText(page: Page, selector: string, text: string, timeout = 15_000) {
  await page.waitForFunction(
    (s: string, t: string) => Array.from(document.querySelectorAll(s)).some((e) => (e as HTMLElement).innerText.includes(t)),
    { timeout },
    selector,
    text,
  )
}

export async function count(page: Page, selector: string) {
  return page.$$eval(selector, (els) => els.length)
}

/** The session the page shows, from its hash route (#/s/<id>). */
export function routeSession(page: Page) {
  return page.evaluate(() => /#\/s\/([^?]+)/.exec(location.hash)?.[1])
}

export const words = (n: number, prefix = "word") => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(" ")

/**
 * A TCP relay in front of the server whose `drop()` cuts every open connection, as a network
 * change or a phone going to sleep does, while it keeps accepting new ones.
 */
export async function startDropProxy(target: string) {
  const net = await import("node:net")
  const { hostname, port } = new URL(target)
  const sockets = new Set<import("node:net").Socket>()
  /** The head of every request the browser sent through the relay. */
  const requests: string[] = []
  const server = net.createServer((client) => {
    client.on("data", (chunk) => {
      const text = chunk.toString("latin1")
      if (/^[A-Z]+ \S+ HTTP\/1/.test(text)) requests.push(text.split("\r\n\r\n")[0])
    })
    const upstream = net.connect(Number(port), hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on("close", () => sockets.delete(s))
      s.on("error", () => s.destroy())
    }
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address() as import("node:net").AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    drop() {
      for (const s of sockets) s.destroy()
    },
    stop() {
      for (const s of sockets) s.destroy()
      server.close()
    },
  }
}
