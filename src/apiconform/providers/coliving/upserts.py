"""What the Coliving upsert and PATCH results and the inactive-match 409 must say
(coliving-api.txt: Create Listing Samples, Update Listing Samples), as comparisons that list
where an answer departs from them.

Decided per value (suites/coliving/statements.toml): the listing's name, original_id and number of
room types are what was sent; `match` is fixed by the situation (a created listing matched
nothing: matched false, method and confidence null; an update matched by original_id, a PATCH by
id, with a confidence level and score whose values, high / 0.92 / 0.99 in the samples, are
illustrations); links.preview is a URL. In the 409, every entry has code conflict; action
skipped, the listing's id, match.matched true and match.method original_id are fixed, the
confidence level and score present.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

#: what an upsert's data.match is for a listing it created
NO_MATCH = {"matched": False, "method": None, "confidence": {"level": None, "score": None}}


def result_problems(data: Any, sent: dict[str, Any], match: str) -> list[str]:
    """Where an upsert result departs from what the Create Listing samples fix: the listing's
    name, original_id and number of room types as sent, and `match` as the situation has it
    (`created`: nothing matched, everything null; `original_id`: matched by it, with a confidence
    level and score; the level and score values are illustrations), links.preview a URL."""
    if not isinstance(data, dict):
        return ["data is not an object"]
    found = [
        f"{k} is {data.get(k)!r}, not the {k} sent"
        for k in ("name", "original_id")
        if data.get(k) != sent.get(k)
    ]
    rooms = len(sent.get("room_types") or [])
    if data.get("room_types_count") != rooms:
        found.append(f"room_types_count is {data.get('room_types_count')!r} for {rooms} room type(s) sent")
    found += match_problems(data.get("match"), match)
    preview = (data.get("links") or {}).get("preview") if isinstance(data.get("links"), dict) else None
    parts = urlsplit(str(preview))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        found.append(f"links.preview {preview!r} is not an absolute URL")
    return found


def match_problems(match: Any, method: str) -> list[str]:
    """Where data.match departs from a listing created (`created`) or matched by `method`."""
    if method == "created":
        return [] if match == NO_MATCH else [f"match is {match!r}, not {NO_MATCH!r} for a created listing"]
    if not isinstance(match, dict):
        return [f"match is {match!r}"]
    raw = match.get("confidence")
    confidence: dict[str, Any] = raw if isinstance(raw, dict) else {}
    level, score = confidence.get("level"), confidence.get("score")
    found = []
    if match.get("matched") is not True or match.get("method") != method:
        found.append(f"match is {match!r}: not matched by {method}")
    if not isinstance(level, str) or not level:
        found.append(f"match.confidence.level is {level!r}, not a level")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        found.append(f"match.confidence.score is {score!r}, not a score between 0 and 1")
    return found


def conflict_problems(items: list[Any], listing_id: int) -> list[str]:
    """Where a 409's errors[] departs from the Conflict (409) sample: each entry with code
    conflict; action skipped, the listing's id, matched true and method original_id as the
    situation fixes them; a confidence level and a score (their values are illustrations)."""
    by_path = {item.get("path"): item for item in items}
    expected = {
        "action": "skipped",
        "listing_id": str(listing_id),
        "match.matched": "true",
        "match.method": "original_id",
    }
    found = []
    for path in (*expected, "match.confidence.level", "match.confidence.score"):
        item = by_path.get(path)
        if item is None:
            found.append(f"has no entry for {path}")
        elif item.get("code") != "conflict":
            found.append(f"entry {path} has code {item.get('code')!r}, not conflict")
        elif path in expected and str(item.get("message")) != expected[path]:
            found.append(f"entry {path} says {item.get('message')!r}, not {expected[path]!r}")
    level = by_path.get("match.confidence.level", {}).get("message")
    if "match.confidence.level" in by_path and not (isinstance(level, str) and level.strip()):
        found.append(f"match.confidence.level says {level!r}, not a level")
    score = by_path.get("match.confidence.score", {}).get("message")
    try:
        valid = 0 <= float(str(score)) <= 1
    except ValueError:
        valid = False
    if "match.confidence.score" in by_path and not valid:
        found.append(f"match.confidence.score says {score!r}, not a score between 0 and 1")
    return found
