import { useEffect, useState } from "preact/hooks"
import { api } from "../api"
import { fail } from "../actions"
import { useStore } from "../store"
import { highlight, languageOf } from "../highlight"
import type { FileContent, FileNode, FileStatus } from "../types"
import { PatchText } from "./diff-view"

const statusMark: Record<string, string> = { added: "A", deleted: "D", modified: "M" }

function Dir({ path, status, open: openFile, depth }: { path: string; status: Map<string, FileStatus>; open: (p: string) => void; depth: number }) {
  const [nodes, setNodes] = useState<FileNode[] | undefined>()
  useEffect(() => {
    api.get<FileNode[]>("file", { path }).then(setNodes, fail)
  }, [path])
  if (!nodes) return <div class="muted small">Loading…</div>
  return (
    <ul class="tree" role={depth === 0 ? "tree" : "group"} aria-label={depth === 0 ? "Project files" : undefined}>
      {nodes.map((n) => (
        <Node key={n.path} node={n} status={status} open={openFile} depth={depth} />
      ))}
    </ul>
  )
}

function Node({ node, status, open, depth }: { node: FileNode; status: Map<string, FileStatus>; open: (p: string) => void; depth: number }) {
  const [expanded, setExpanded] = useState(false)
  const mark = status.get(node.path)
  const changedInside = node.type === "directory" && [...status.keys()].some((p) => p.startsWith(node.path + "/"))
  return (
    <li role="treeitem" aria-expanded={node.type === "directory" ? expanded : undefined} class={node.ignored ? "ignored" : ""}>
      <button
        class="tree-row"
        onClick={() => (node.type === "directory" ? setExpanded(!expanded) : open(node.path))}
        data-testid="tree-item"
        data-path={node.path}
      >
        <span aria-hidden="true">{node.type === "directory" ? (expanded ? "▾" : "▸") : " "}</span> {node.name}
        {mark && (
          <span class={`git git-${mark.status}`} title={mark.status}>
            {statusMark[mark.status]}
          </span>
        )}
        {changedInside && (
          <span class="git git-modified" title="contains changes">
            •
          </span>
        )}
      </button>
      {expanded && <Dir path={node.path} status={status} open={open} depth={depth + 1} />}
    </li>
  )
}

/** File tree with git status marks, and a viewer for the chosen file. */
export function Files() {
  const { fileVersion } = useStore()
  const [status, setStatus] = useState(new Map<string, FileStatus>())
  const [file, setFile] = useState<{ path: string; content: FileContent } | undefined>()
  const [showDiff, setShowDiff] = useState(false)
  useEffect(() => {
    api.get<FileStatus[]>("file/status").then((list) => setStatus(new Map(list.map((f) => [f.path, f]))), fail)
  }, [fileVersion])
  const open = (path: string) =>
    api.get<FileContent>("file/content", { path }).then((content) => {
      setFile({ path, content })
      setShowDiff(false)
    }, fail)
  if (file) {
    const c = file.content
    return (
      <section aria-label={`File ${file.path}`} data-testid="file-viewer">
        <div class="row">
          <button onClick={() => setFile(undefined)}>← Files</button>
          <strong class="path grow">{file.path}</strong>
          {c.diff && <button onClick={() => setShowDiff(!showDiff)}>{showDiff ? "Content" : "Diff"}</button>}
        </div>
        {c.type === "binary" ? (
          c.mimeType?.startsWith("image/") && c.encoding === "base64" ? (
            <img alt={file.path} src={`data:${c.mimeType};base64,${c.content}`} class="preview" />
          ) : (
            <p class="muted">Binary file ({c.mimeType ?? "unknown type"}).</p>
          )
        ) : showDiff && c.diff ? (
          <PatchText text={c.diff} />
        ) : (
          <pre class="code">
            <code class="hljs" dangerouslySetInnerHTML={{ __html: highlight(c.content, languageOf(file.path)) }} />
          </pre>
        )}
      </section>
    )
  }
  return (
    <section aria-label="Files" data-testid="files">
      <Dir path="" status={status} open={open} depth={0} />
    </section>
  )
}
