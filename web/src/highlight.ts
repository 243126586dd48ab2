// highlight.js core with a dozen common languages only: the full build is ~10x larger.
import hljs from "highlight.js/lib/core"
import bash from "highlight.js/lib/languages/bash"
import c from "highlight.js/lib/languages/c"
import cpp from "highlight.js/lib/languages/cpp"
import css from "highlight.js/lib/languages/css"
import diff from "highlight.js/lib/languages/diff"
import go from "highlight.js/lib/languages/go"
import java from "highlight.js/lib/languages/java"
import javascript from "highlight.js/lib/languages/javascript"
import json from "highlight.js/lib/languages/json"
import markdown from "highlight.js/lib/languages/markdown"
import python from "highlight.js/lib/languages/python"
import rust from "highlight.js/lib/languages/rust"
import sql from "highlight.js/lib/languages/sql"
import typescript from "highlight.js/lib/languages/typescript"
import xml from "highlight.js/lib/languages/xml"
import yaml from "highlight.js/lib/languages/yaml"

const languages = { bash, c, cpp, css, diff, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml }
for (const [name, lang] of Object.entries(languages)) hljs.registerLanguage(name, lang)
hljs.registerAliases(["sh", "shell", "zsh"], { languageName: "bash" })
hljs.registerAliases(["js", "jsx", "mjs", "cjs"], { languageName: "javascript" })
hljs.registerAliases(["ts", "tsx", "mts"], { languageName: "typescript" })
hljs.registerAliases(["html", "svg"], { languageName: "xml" })
hljs.registerAliases(["py"], { languageName: "python" })
hljs.registerAliases(["rs"], { languageName: "rust" })
hljs.registerAliases(["yml"], { languageName: "yaml" })
hljs.registerAliases(["md"], { languageName: "markdown" })
hljs.registerAliases(["h", "hpp", "cc"], { languageName: "cpp" })

export function escapeHTML(text: string) {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** Highlighted HTML for `code`: hljs escapes its input, so the result is safe to inject. */
export function highlight(code: string, lang?: string) {
  const name = lang?.toLowerCase()
  if (name && hljs.getLanguage(name)) return hljs.highlight(code, { language: name, ignoreIllegals: true }).value
  return escapeHTML(code)
}

export function languageOf(path: string) {
  const ext = path.split(".").pop()?.toLowerCase() ?? ""
  return hljs.getLanguage(ext) ? ext : undefined
}
