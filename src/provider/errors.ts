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

/** We run no OAuth flows; the answer says what works instead. */
export class OAuthUnsupportedError extends NamedError {
  constructor(providerID: string) {
    super(
      "ProviderAuthOauthMissing",
      {
        providerID,
        message: `This server implements no OAuth login for "${providerID}". Store an API key instead: PUT /auth/${providerID} with {"type":"api","key":"..."}, or set the provider's API key environment variable.`,
      },
      400,
    )
  }
}
