import type { Agent, AgentPermission } from "./schema"
import planPrompt from "./prompt/plan.txt" with { type: "text" }
import generalPrompt from "./prompt/general.txt" with { type: "text" }
import explorePrompt from "./prompt/explore.txt" with { type: "text" }

/** What every agent may do unless its own or the user's config says otherwise. */
export const DEFAULT_PERMISSION: AgentPermission = {
  edit: "allow",
  bash: { "*": "allow" },
  webfetch: "allow",
  doom_loop: "ask",
  external_directory: "ask",
}

// Commands that only read: the plan agent may run these without asking. Anything that could
// write through an option (find -delete, sort -o, tree -o) is asked for explicitly, since a
// longer pattern wins over the shorter allow.
const READ_ONLY_BASH: AgentPermission["bash"] = {
  "*": "ask",
  "cat*": "allow",
  "cut*": "allow",
  "diff*": "allow",
  "du*": "allow",
  "file *": "allow",
  "find *": "allow",
  "find * -delete*": "ask",
  "find * -exec*": "ask",
  "find * -execdir*": "ask",
  "find * -fprint*": "ask",
  "find * -fls*": "ask",
  "find * -ok*": "ask",
  "git blame*": "allow",
  "git branch": "allow",
  "git branch -v*": "allow",
  "git diff*": "allow",
  "git log*": "allow",
  "git show*": "allow",
  "git status*": "allow",
  "grep*": "allow",
  "head*": "allow",
  "ls*": "allow",
  "pwd*": "allow",
  "rg*": "allow",
  "sort*": "allow",
  "sort -o *": "ask",
  "sort --output*": "ask",
  "stat*": "allow",
  "tail*": "allow",
  "tree*": "allow",
  "tree -o *": "ask",
  "uniq*": "allow",
  "wc*": "allow",
  "which*": "allow",
}

export const PLAN_PERMISSION: Partial<AgentPermission> = {
  edit: "deny",
  bash: READ_ONLY_BASH,
  webfetch: "allow",
}

type Builtin = Omit<Agent, "permission"> & { permission: Partial<AgentPermission> }

// build carries no prompt of its own: the loop's default system prompt is its instructions.
export const BUILTIN_AGENTS: Builtin[] = [
  {
    name: "build",
    description: "The default agent: reads, edits and runs whatever the task needs.",
    mode: "primary",
    builtIn: true,
    permission: {},
    tools: {},
    options: {},
  },
  {
    name: "plan",
    description: "Read-only planning: explores the code and proposes a plan without changing files.",
    mode: "primary",
    builtIn: true,
    permission: PLAN_PERMISSION,
    prompt: planPrompt,
    tools: {},
    options: {},
  },
  {
    name: "general",
    description:
      "General-purpose subagent for researching open questions and carrying out multi-step tasks on its own. Several can run in parallel.",
    mode: "subagent",
    builtIn: true,
    permission: {},
    prompt: generalPrompt,
    tools: { todoread: false, todowrite: false },
    options: {},
  },
  {
    name: "explore",
    description:
      "Fast read-only subagent for finding files, symbols and answers in the codebase. Say how thorough it should be: quick, medium or very thorough.",
    mode: "subagent",
    builtIn: true,
    permission: { edit: "deny", bash: READ_ONLY_BASH },
    prompt: explorePrompt,
    tools: { todoread: false, todowrite: false, edit: false, write: false, patch: false },
    options: {},
  },
]
