"""The LeadDesk suite's campaign: which one the relation rules change, how its users and products
are read back, and what an answer to a change on it means.

Which campaign to use is not documented: `campaign_id`, else the suite's own `apiconform-campaign`,
found in GET /campaigns or created by POST /campaigns (a target answering either "not supported"
skips the rules, naming campaign_id). How a campaign's relations are read back is not documented
either: from the campaign object's `products` and `users` (ids, or objects with an id), else from
GET of its sub-resources (an array or a collection); when neither gives a list, the rule errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiconform.checks.expect import check, setup_refused, skip_unsupported
from apiconform.checks.pagination import walk
from apiconform.client import ApiClient, ApiResponse
from apiconform.profile import Profile
from apiconform.providers.leaddesk import probes, shapes

CAMPAIGNS, PRODUCTS = "/campaigns", "/products"
CAMPAIGN_NAME = "apiconform-campaign"
RELATIONS = ("products", "users")


def refs(ids: list[Any]) -> list[dict[str, Any]]:
    """A relation array as the document's examples write it: `[{"id": 1}, {"id": 6}]`."""
    return [{"id": value} for value in ids]


def ordered(ids: list[Any]) -> list[str]:
    """Ids as comparable text (a config may name as strings what the target answers as numbers)."""
    return sorted(str(value) for value in ids)


def expect_change(response: ApiResponse, what: str) -> None:
    """A write on the campaign answers a 2xx; a refusal for a documented reason (400, 403, 422) means
    the suite could not exercise the rule (error, naming what the target refused)."""
    status = response.status_code
    if status in (400, 403, 422):
        fields = probes.refused_fields(response)
        named = f"; the target refused {', '.join(fields)}" if fields else ""
        setup_refused(f"{what} was refused with HTTP {status}{named}", response)
    check(200 <= status < 300, f"{what}: HTTP {status}", response)


def check_fulfilled(response: ApiResponse, what: str) -> None:
    """A change that creates nothing answers 204 with an empty body (the Response section) or 200
    (the status table's "204 ... usually only used with DELETE"): never 201 (nothing was
    created) nor another 2xx, and a 204 has no body."""
    status = response.status_code
    check(status in (200, 204), f"{what}: HTTP {status}, neither 204 nor 200 (it creates nothing)", response)
    check(status == 200 or not response.content.strip(), f"{what}: the 204 has a body", response)


class Campaign:
    """A campaign's path and how to read its relations (found out once, then reused)."""

    def __init__(self, client: ApiClient, headers: Mapping[str, str], path: str) -> None:
        self.client, self.headers, self.path = client, headers, path
        self.from_subresource: dict[str, bool] = {}

    @property
    def id(self) -> str:
        return self.path.rsplit("/", 1)[1]

    def read(self) -> tuple[dict[str, Any], ApiResponse]:
        """The campaign object (GET of its path); the test errors when it is not served."""
        response = self.client.request("GET", self.path, headers=self.headers)
        body = response.json_or_none()
        if not (200 <= response.status_code < 300 and isinstance(body, dict)):
            setup_refused(
                f"GET {self.path} answered HTTP {response.status_code} without the campaign", response
            )
        return body, response

    def ids(
        self, relation: str, read: tuple[dict[str, Any], ApiResponse] | None = None
    ) -> tuple[list[Any], ApiResponse]:
        """The ids of the campaign's `relation` and the response they came from (from `read`, a
        campaign object already fetched, when it lists them); the test errors when the target
        shows them in neither documented-compatible way."""
        if not self.from_subresource.get(relation):
            body, response = read or self.read()
            found = shapes.related_ids(body.get(relation))
            if found is not None:
                return found, response
            self.from_subresource[relation] = True
        response = self.client.request(
            "GET", f"{self.path}/{relation}", headers=self.headers, params={"per_page": 500}
        )
        found = shapes.related_ids(response.json_or_none())
        if found is None or not 200 <= response.status_code < 300:
            setup_refused(
                f"the campaign's {relation} cannot be read: GET {self.path} has no {relation} and "
                f"GET {self.path}/{relation} answered HTTP {response.status_code} without a list",
                response,
            )
        return found, response


def own_campaign(client: ApiClient, profile: Profile, headers: Mapping[str, str]) -> str:
    """The path of the suite's campaign: found by name, or created once."""
    listing = client.request("GET", CAMPAIGNS, headers=headers, params={"per_page": 500})
    if listing.status_code in probes.NOT_SUPPORTED:
        skip_unsupported("listing campaigns to find the suite's own (GET /campaigns)", listing, "campaign_id")
    if not 200 <= listing.status_code < 300:
        setup_refused(f"GET {CAMPAIGNS} answered HTTP {listing.status_code}", listing)

    def fetch(number: int) -> ApiResponse:
        if number == 1:
            return listing
        return client.request("GET", CAMPAIGNS, headers=headers, params={"per_page": 500, "page": number})

    for item in walk(fetch, profile.parse_page).items:
        if isinstance(item, dict) and item.get("name") == CAMPAIGN_NAME:
            return f"{CAMPAIGNS}/{item.get('id')}"
    created = client.request("POST", CAMPAIGNS, headers=headers, json={"name": CAMPAIGN_NAME})
    if created.status_code in probes.NOT_SUPPORTED:
        skip_unsupported("creating the suite's campaign (POST /campaigns)", created, "campaign_id")
    if not 200 <= created.status_code < 300 or probes.id_of(created) is None:
        setup_refused(f"POST {CAMPAIGNS} answered HTTP {created.status_code} without an id", created)
    return f"{CAMPAIGNS}/{probes.id_of(created)}"
