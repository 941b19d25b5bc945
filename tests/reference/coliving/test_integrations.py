"""POST /v1/integrations/{provider}/provider-key on the Coliving reference server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference.coliving.helpers import (
    MAIN,
    OTHER,
    TestClient,
    error,
    paths,
)


def test_provider_key(c: TestClient) -> None:
    path = "/v1/integrations/hostaway/provider-key"
    response = c.post(path, headers=MAIN, json={"provider_api_key": "pk-1"})
    assert response.status_code == 200
    assert response.json()["data"] == {"provider": "hostaway", "connected": True}
    assert c.post(path, headers=MAIN, json={"provider_api_key": "pk-1"}).status_code == 200
    conflict = c.post(path, headers=OTHER, json={"provider_api_key": "pk-1"})
    assert (conflict.status_code, error(conflict)["type"]) == (409, "conflict_error")
    assert (
        c.post(
            "/v1/integrations/guesty/provider-key", headers=OTHER, json={"provider_api_key": "pk-1"}
        ).status_code
        == 200
    )
    assert c.post(path, headers=MAIN, json={"provider_api_key": "pk-2"}).status_code == 200  # replaces pk-1
    assert c.post(path, headers=OTHER, json={"provider_api_key": "pk-1"}).status_code == 200


@pytest.mark.parametrize(
    ("provider", "body", "status", "type_", "path"),
    [
        ("airbnb", {"provider_api_key": "pk"}, 404, "unsupported_provider", "provider"),
        ("Hostaway", {"provider_api_key": "pk"}, 404, "unsupported_provider", "provider"),
        ("ownerrez", {}, 422, "validation_error", "provider_api_key"),
        ("ownerrez", {"provider_api_key": ""}, 422, "validation_error", "provider_api_key"),
        ("ownerrez", {"provider_api_key": 5}, 422, "validation_error", "provider_api_key"),
    ],
)
def test_invalid_provider_keys(
    c: TestClient, provider: str, body: Any, status: int, type_: str, path: str
) -> None:
    response = c.post(f"/v1/integrations/{provider}/provider-key", headers=MAIN, json=body)
    assert (response.status_code, error(response)["type"], paths(response)) == (status, type_, [path])
    if status == 404:
        assert error(response)["message"] == "Unsupported provider"
