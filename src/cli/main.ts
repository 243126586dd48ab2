import { VERSION } from "../global/version"
import { HELP } from "./args"

export async function main(argv: string[]) {
  const [command, ...rest] = argv
  const flags = command === "serve" ? rest : argv
  if (flags.includes("--version") || flags.includes("-v") || command === "version") {
    console.log(VERSION)
    return
  }
  if (flags.includes("--help") || flags.includes("-h") || command === "help") {
    console.log(HELP)
    return
  }
  if (command === "serve" || command === undefined || command.startsWith("-")) {
    const { serve } = await import("./serve")
    // `opencode-bun --port 4096` (no command) serves too, like `opencode-bun serve`.
    return serve(flags)
  }
  console.error(`Error: unknown command '${command}': this binary runs the opencode server ('opencode-bun serve [options]', see 'opencode-bun --help').`)
  process.exit(1)
}
