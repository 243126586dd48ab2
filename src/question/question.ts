import { NotFoundError } from "../util/error"
import type { QuestionRequest } from "./schema"

// opencode's `question` tool lets the model stop and ask the user to pick among options. Our
// agent has no such tool (it asks through its answer text), so no question is ever pending:
// the list is empty and a reply can only name a request that does not exist.

export function listQuestions(): QuestionRequest[] {
  return []
}

export function replyToQuestion(requestID: string): never {
  throw new NotFoundError(`Question request not found: ${requestID}`)
}
