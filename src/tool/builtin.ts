// Every built-in tool. Adding a tool is one line here. Only ToolDefs may be exported from this
// file: the registry takes all of its exports (in export-name order, as module namespaces are
// sorted, which keeps the tool list stable from request to request).
export { bashTool } from "./bash"
export { readTool } from "./read"
export { globTool } from "./glob"
export { grepTool } from "./grep"
export { listTool } from "./list"
export { editTool } from "./edit"
export { writeTool } from "./write"
export { todowriteTool, todoreadTool } from "./todo"
export { multieditTool } from "./multiedit"
export { patchTool } from "./patch"
export { webfetchTool } from "./webfetch"
export { taskTool } from "./task"
