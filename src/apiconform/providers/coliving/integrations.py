"""POST /v1/integrations/{provider}/provider-key on the Coliving reference server.

Providers are lower-case hostaway, guesty and ownerrez; one key per (host, provider), a
re-connection replacing it; a key held by another host for the same provider is 409.
"""

from __future__ import annotations

from apiconform.providers.coliving.wire import ApiError, Ctx, Resource, Result, validation_error

PROVIDERS = ("hostaway", "guesty", "ownerrez")


class Integrations(Resource):
    """Channel-manager connections: one provider key per host and provider."""

    def connect_provider(self, ctx: Ctx, params: dict[str, str]) -> Result:
        provider = params["provider"]
        if provider not in PROVIDERS:
            if "unsupported-provider-400" in self.faults:
                raise ApiError(400, "bad_request", "Unsupported provider")
            if self.alternate:  # the name as an errors[] code, under a plain not_found
                raise ApiError(
                    404,
                    "not_found",
                    "Not found",
                    [("provider", "unsupported_provider", f"Supported providers: {', '.join(PROVIDERS)}.")],
                )
            raise ApiError(
                404,
                "unsupported_provider",
                "Unsupported provider",
                [("provider", "unsupported", f"Supported providers: {', '.join(PROVIDERS)}.")],
            )
        key = ctx.json().get("provider_api_key")
        if key is None or (isinstance(key, str) and not key.strip()):
            raise validation_error("provider_api_key", "required", "The provider_api_key field is required.")
        if not isinstance(key, str):
            raise validation_error(
                "provider_api_key", "invalid", "The provider_api_key field must be a string."
            )
        owner = self.store.provider_keys.get((provider, key))
        if owner is not None and owner != ctx.host_id:
            raise ApiError(
                409,
                "conflict_error",
                "This provider API key is already used by another account.",
                [("provider_api_key", "conflict", "The key is connected to another account.")],
            )
        previous = self.store.host_provider_keys.get((ctx.host_id, provider))
        if previous is not None:
            self.store.provider_keys.pop((provider, previous), None)
        self.store.provider_keys[(provider, key)] = ctx.host_id
        self.store.host_provider_keys[(ctx.host_id, provider)] = key
        return Result(200, {"provider": provider, "connected": True}, kind="provider_connection")
