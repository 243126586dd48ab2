// The embedded catalog snapshot, imported `with { type: "file" }`: a path (inside the binary once compiled).
declare module "*.json.gz" {
  const path: string
  export default path
}
