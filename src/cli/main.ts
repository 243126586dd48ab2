import { VERSION } from "../global/version"
import { HELP } from "./args"

export async function main(argv: string[]) {
  const [command, ...rest] = argv
  if (command === "--version" || command === "-v" || command === "version") {
    console.log(VERSION)
    return
  }
  if (command === "--help" || command === "-h" || command === "help" || (command === "serve" && (rest.includes("--help") || rest.includes("-h")))) {
    console.log(HELP)
    return
  }
  if (command === "serve" || command === undefined || command.startsWith("--")) {
    const { serve } = await import("./serve")
    // `opencode --port 4096` (no command) serves too, like `opencode serve`.
    return serve(command === "serve" ? rest : argv)
  }
  console.error(`Unknown command '${command}'. This binary runs the opencode server: 'opencode serve [options]'. Run 'opencode --help' for usage.`)
  process.exit(1)
}
