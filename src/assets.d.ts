// Files imported `with { type: "file" }` resolve to a path (embedded in the compiled binary).
declare module "*/standalone.js" {
  const path: string
  export default path
}
// Text assets imported `with { type: "text" }` (model-facing prompts, page styles).
declare module "*.css" {
  const text: string
  export default text
}
