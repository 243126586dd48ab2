// Domain errors carry their HTTP status and serialise as { name, data }, the shape the SDK
// expects. Domain code throws these; server/errors.ts is the only place that maps them.
export class NamedError extends Error {
  constructor(
    readonly errorName: string,
    readonly data: Record<string, unknown> & { message: string },
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(data.message, options)
    this.name = errorName
  }
  toJSON() {
    return { name: this.errorName, data: this.data }
  }
}

export class NotFoundError extends NamedError {
  constructor(message: string) {
    super("NotFoundError", { message }, 404)
  }
}

/** `name` is "BadRequest" on the wire: that is what the SDK's BadRequestError type declares. */
export class BadRequestError extends NamedError {
  constructor(message: string, kind?: "Params" | "Headers" | "Query" | "Body" | "Payload") {
    super("BadRequest", kind ? { message, kind } : { message }, 400)
  }
}

export class ForbiddenError extends NamedError {
  constructor(message: string) {
    super("ForbiddenError", { message }, 403)
  }
}

export class ConflictError extends NamedError {
  constructor(name: string, message: string) {
    super(name, { message }, 409)
  }
}

/** A client-side bound reached (too many of something at once): retry once some finish. */
export class TooManyRequestsError extends NamedError {
  constructor(name: string, message: string) {
    super(name, { message }, 429)
  }
}

/** A request body over the server's size limit. */
export class PayloadTooLargeError extends NamedError {
  constructor(message: string) {
    super("PayloadTooLargeError", { message }, 413)
  }
}

export class UnavailableError extends NamedError {
  constructor(name: string, message: string) {
    super(name, { message }, 503)
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  if (typeof e === "string") return e
  try {
    return JSON.stringify(e)
  } catch {
    return String(e)
  }
}
