import { copilot } from "./copilot"
import { digitalocean } from "./digitalocean"
import { gitlab } from "./gitlab"
import { openai } from "./openai"
import { poe } from "./poe"
import { setBuiltinLoader } from "./registry"
import { xai } from "./xai"

// The sign-ins that ship with the server, registered the first time anyone asks for sign-in
// methods. Plugins registering the same provider later take precedence.
setBuiltinLoader(() => [copilot, openai, gitlab, xai, poe, digitalocean])
