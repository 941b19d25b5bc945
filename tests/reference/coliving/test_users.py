"""POST /v1/users on the Coliving reference server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference.coliving.helpers import (
    MAIN,
    MICRO_STAMP,
    USER_KEYS,
    TestClient,
    error,
    paths,
    user_body,
)


def test_create_user(c: TestClient) -> None:
    sent = user_body(first_name="john", last_name="o'neil van dyke")
    response = c.post("/v1/users", headers=MAIN, json=sent)
    assert response.status_code == 201
    data = response.json()["data"]
    assert list(data) == USER_KEYS
    assert data["user_id"] == 555001
    assert data["name"] == "John O'neil Van Dyke"
    for key in USER_KEYS[2:12]:
        assert data[key] == sent[key]
    assert (data["status"], data["role_name"], data["lifecycle"], data["email_verified_at"]) == (
        1,
        "user",
        "subscriber",
        None,
    )
    assert (data["login_amount"], data["source"], data["api_created"]) == (1, "api", True)
    assert data["login_ip"] == "testclient"
    assert all(MICRO_STAMP.fullmatch(data[k]) for k in ("login_at", "created_at", "updated_at"))
    assert "password" not in data and sent["password"] not in response.text
    second = c.post("/v1/users", headers=MAIN, json=user_body(first_name=..., last_name=...))
    assert second.json()["data"]["user_id"] == 555002
    assert second.json()["data"]["name"] == ""
    assert second.json()["data"]["first_name"] is None


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"email": ...}, [("email", "invalid", "Email address is required.")]),
        ({"email": None}, [("email", "invalid", "Email address is required.")]),
        ({"email": "not-an-email"}, [("email", "invalid", "Email address is invalid.")]),
        ({"email": "a b@example.com"}, [("email", "invalid", "Email address is invalid.")]),
        ({"email": 42}, [("email", "invalid", "Email address is invalid.")]),
        ({"email": "SEED.ONE@example.com"}, [("email", "taken", "Email address has already been taken.")]),
        ({"password": ...}, [("password", "invalid", "Password is required.")]),
        (
            {"password": "short"},
            [("password", "invalid", "Password must be a string of at least 8 characters.")],
        ),
        (
            {"password": 12345678},
            [("password", "invalid", "Password must be a string of at least 8 characters.")],
        ),
        (
            {"date_of_birth": "01/01/1990"},
            [("date_of_birth", "invalid", "Date of birth must be a date in YYYY-MM-DD format.")],
        ),
        (
            {"date_of_birth": "1990-02-30"},
            [("date_of_birth", "invalid", "Date of birth must be a date in YYYY-MM-DD format.")],
        ),
        ({"city": 7}, [("city", "invalid", "The city field must be a string.")]),
        (
            {"email": ..., "password": ...},
            [
                ("email", "invalid", "Email address is required."),
                ("password", "invalid", "Password is required."),
            ],
        ),
    ],
)
def test_invalid_users_are_422(
    c: TestClient, over: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    response = c.post("/v1/users", headers=MAIN, json=user_body(**over))
    assert response.status_code == 422
    err = error(response)
    assert (err["type"], err["message"]) == ("validation_error", "Validation failed")
    assert [(i["path"], i["code"], i["message"]) for i in err["errors"]] == expected


def test_duplicate_email_is_case_insensitive(c: TestClient) -> None:
    assert c.post("/v1/users", headers=MAIN, json=user_body(email="Ada@Example.com")).status_code == 201
    response = c.post("/v1/users", headers=MAIN, json=user_body(email="ada@example.COM"))
    assert (response.status_code, paths(response)) == (422, ["email"])


def test_optional_user_fields_may_be_null(c: TestClient) -> None:
    response = c.post("/v1/users", headers=MAIN, json=user_body(phone=None, date_of_birth=None))
    assert response.status_code == 201
    assert response.json()["data"]["phone"] is None
