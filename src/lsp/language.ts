import path from "node:path"

// LSP languageId per file extension, for textDocument/didOpen.
const BY_EXTENSION: Record<string, string> = {
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "typescriptreact",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascriptreact",
  ".py": "python",
  ".pyi": "python",
  ".go": "go",
  ".rs": "rust",
  ".c": "c",
  ".h": "c",
  ".cpp": "cpp",
  ".cc": "cpp",
  ".hpp": "cpp",
  ".java": "java",
  ".rb": "ruby",
  ".php": "php",
  ".cs": "csharp",
  ".swift": "swift",
  ".kt": "kotlin",
  ".lua": "lua",
  ".zig": "zig",
  ".json": "json",
  ".css": "css",
  ".html": "html",
  ".vue": "vue",
  ".svelte": "svelte",
  ".md": "markdown",
  ".yaml": "yaml",
  ".yml": "yaml",
  ".sh": "shellscript",
}

export function languageId(file: string): string {
  const ext = path.extname(file).toLowerCase()
  return BY_EXTENSION[ext] ?? (ext.slice(1) || "plaintext")
}
