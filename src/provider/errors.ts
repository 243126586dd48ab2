import { NamedError } from "../util/error"

/** Unknown provider or model; `suggestions` holds the closest known ids. */
export class ModelNotFoundError extends NamedError {
  constructor(providerID: string, modelID: string, suggestions: string[], what: "provider" | "model") {
    const hint = suggestions.length ? ` Did you mean: ${suggestions.join(", ")}?` : ""
    const message =
      what === "provider"
        ? `Unknown provider "${providerID}" (asked for model "${providerID}/${modelID}").${hint}`
        : `Provider "${providerID}" has no model "${modelID}".${hint}`
    super("ProviderModelNotFoundError", { providerID, modelID, suggestions, message }, 400)
  }
}

/** No credential for a provider that needs one. The loop stores this on the assistant message. */
export class ProviderAuthError extends NamedError {
  constructor(providerID: string, message: string) {
    super("ProviderAuthError", { providerID, message }, 400)
  }
}

/** A provider we cannot talk to with what is bundled or configured (no SDK, no base URL). */
export class ProviderInitError extends NamedError {
  constructor(providerID: string, message: string) {
    super("ProviderInitError", { providerID, message }, 400)
  }
}

/** Neither `model` in the config nor any connected provider to pick one from. */
export class NoModelError extends NamedError {
  constructor(message: string) {
    super("ProviderModelNotFoundError", { providerID: "", modelID: "", suggestions: [], message }, 400)
  }
}

/** Callback without a sign-in in progress (never started, finished, expired or cancelled). */
export class OAuthMissingError extends NamedError {
  constructor(providerID: string) {
    super(
      "ProviderAuthOauthMissing",
      { providerID, message: `No sign-in is in progress for "${providerID}": start one with POST /provider/${providerID}/oauth/authorize (it may have finished, expired or been cancelled).` },
      400,
    )
  }
}

export class OAuthCodeMissingError extends NamedError {
  constructor(providerID: string) {
    super("ProviderAuthOauthCodeMissing", { providerID, message: `This sign-in for "${providerID}" needs the code shown after signing in: send it as "code".` }, 400)
  }
}

export class OAuthCallbackFailedError extends NamedError {
  constructor(providerID: string, message: string) {
    super("ProviderAuthOauthCallbackFailed", { providerID, message }, 400)
  }
}

/** The sign-in could not even start (identity provider unreachable, bad input). */
export class AuthorizeFailedError extends NamedError {
  constructor(providerID: string, message: string) {
    super("ProviderAuthAuthorizeFailed", { providerID, message }, 400)
  }
}

export class AuthValidationError extends NamedError {
  constructor(providerID: string, field: string, message: string) {
    super("ProviderAuthValidationFailed", { providerID, field, message }, 400)
  }
}
