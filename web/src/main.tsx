// Placeholder until the web app lands (branch web-ui owns web/): shows the server's health
// through the public API and a prompt box, then marks the page ready ([data-ready]).
const app = document.getElementById("app")!
const api = (path: string) => new URL(path, document.baseURI)

async function start() {
  const health = await fetch(api("global/health")).then((r) => r.json())
  const title = document.createElement("h1")
  title.textContent = `opencode ${health.version}`
  const prompt = document.createElement("textarea")
  prompt.setAttribute("aria-label", "Prompt")
  app.replaceChildren(title, prompt)
  document.documentElement.dataset.ready = ""
}

start().catch((e) => {
  app.textContent = `Could not reach the server: ${e}`
})
