"""Reading recorded traffic as a stream: HAR 1.2 files and JSON lines, one entry at a time.

Formats (chosen by the file name, else by a look at its start):
- HAR 1.2 (`.har`, `.json`, or any file whose content is one JSON object): `log.entries`, as
  browsers, proxies and apiconform itself write it, parsed incrementally (ijson), so that memory
  stays bounded by the largest single entry, not the file;
- JSON lines (`.jsonl`, `.ndjson`, or a file whose first line is a whole JSON object without
  `log`): one exchange per line, either a HAR entry (`{"request": ..., "response": ...}`) or an
  exchange as results.json lists them (`{"method", "url", "request_headers": [[name, value]],
  "request_body", "status", "response_headers", "response_body", "elapsed"}`);
- either may be gzipped (`.gz`).

Guarantees of `TrafficReader.read`: it yields an `Observed` exchange for every entry of the
provider's API (URLs under the base URL) that got a response, in file order, masked before it is
kept (apiconform.observed.secrets); every other entry is counted under the reason it was skipped
(`ReadStats.skipped`: another host, no response, not an HTTP exchange, ...); a body that cannot be
judged (binary, cut by the recorder, larger than `max_body`, not recorded) keeps its exchange but
is counted in `ReadStats.bodies` and never parsed. A file that cannot be read or is not a HAR or
JSON-lines file raises UsageError (one line); one cut short (truncated JSON) is read up to the cut
and noted in `ReadStats.warnings`. Without a base URL, the API's is taken from an apiconform HAR's
page for the provider, else from the first entry with a response (`ReadStats.base_url_source`).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode, urlsplit

import httpx
import ijson

from apiconform.client import DEFAULT_MAX_BODY, RECORDED_BODY
from apiconform.errors import UsageError
from apiconform.masking import Masker
from apiconform.observed.observation import Observed, observed
from apiconform.observed.secrets import credential_label, harvest, mask_fields
from apiconform.profile import Profile
from apiconform.recording import Exchange

#: first-line look for JSON lines: at most this much of a file is read to decide its format
_SNIFF = 1 << 20
_TEXT_TYPES = ("json", "text/", "xml", "javascript", "x-www-form-urlencoded", "html")


@dataclass
class ReadStats:
    """What reading found, for the reports."""

    files: list[str] = field(default_factory=list)
    entries: int = 0
    used: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    bodies: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    base_url: str | None = None
    base_url_source: str = ""


@dataclass
class Raw:
    """One recorded exchange, as read, before masking."""

    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int | None
    response_headers: list[tuple[str, str]]
    #: the response body, None when it was not recorded
    body: bytes | None
    #: why the body cannot be judged (None: it is whole)
    body_problem: str | None
    started: float | None
    elapsed: float
    page: str | None = None
    #: the recording's label of the request's credential (HAR `_credential`), when it has one
    credential: str | None = None


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of `url`, the port defaulted from the scheme; ValueError for a port
    that is no number."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme.lower(), (parts.hostname or "").lower(), port)


def under(url: str, base_url: str) -> bool:
    """Whether `url` is an address of the API at `base_url` (same origin, below its path)."""
    if origin(url) != origin(base_url):
        return False
    base_path = urlsplit(base_url).path.rstrip("/")
    path = urlsplit(url).path
    return not base_path or path == base_path or path.startswith(base_path + "/")


def _pairs(value: object) -> list[tuple[str, str]]:
    """HAR name/value objects (or [name, value] pairs) as tuples; anything malformed is dropped."""
    pairs: list[tuple[str, str]] = []
    if not isinstance(value, list):
        return pairs
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            pairs.append((item["name"], str(item.get("value", ""))))
        elif isinstance(item, (list, tuple)) and len(item) == 2 and isinstance(item[0], str):
            pairs.append((item[0], str(item[1])))
    return pairs


def _moment(value: object) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return None


def _textual(mime: str) -> bool:
    lowered = mime.lower()
    return not lowered or any(kind in lowered for kind in _TEXT_TYPES)


def _response_body(content: object, max_body: int) -> tuple[bytes | None, str | None]:
    """The body of a HAR `response.content` and why it cannot be judged (None: it can)."""
    if not isinstance(content, dict):
        return None, "no body recorded"
    text = content.get("text")
    if text is None:
        size = content.get("size")
        return (b"", None) if size == 0 else (None, "no body recorded")
    if not isinstance(text, str):
        return None, "no body recorded"
    mime = str(content.get("mimeType") or "")
    if str(content.get("encoding") or "").lower() == "base64":
        try:
            raw = base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError):
            return None, "body not decodable (base64)"
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return None, "binary body"
    else:
        raw = text.encode("utf-8", errors="replace")
    if len(raw) > max_body:
        return None, f"body larger than {max_body} bytes"
    if not _textual(mime) and b"\0" in raw[:1024]:
        return None, "binary body"
    size = content.get("size")
    cut = content.get("_truncated") is True or len(text) == RECORDED_BODY
    if cut or (isinstance(size, int) and not isinstance(size, bool) and size > len(raw)):
        return None, "body cut by the recorder"
    return raw, None


def raw_from_har(entry: Mapping[str, Any], max_body: int) -> Raw | str:
    """A HAR entry as a `Raw` exchange, or why it is no HTTP exchange."""
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, dict) or not isinstance(request.get("url"), str):
        return "not an HTTP exchange (no request URL)"
    method = request.get("method")
    if not isinstance(method, str) or not method:
        return "not an HTTP exchange (no request method)"
    post = request.get("postData")
    body = b""
    if isinstance(post, dict):
        if isinstance(post.get("text"), str):
            body = post["text"].encode("utf-8", errors="replace")
        elif isinstance(post.get("params"), list):
            body = urlencode(_pairs(post["params"])).encode()
    status = response.get("status") if isinstance(response, dict) else None
    if not isinstance(status, int) or isinstance(status, bool) or status <= 0:
        status = None
    content = response.get("content") if isinstance(response, dict) else None
    body_out, problem = _response_body(content, max_body) if status is not None else (None, None)
    elapsed = entry.get("time")
    return Raw(
        method=method.upper(),
        url=request["url"],
        request_headers=_pairs(request.get("headers")),
        request_body=body,
        status=status,
        response_headers=_pairs(response.get("headers")) if isinstance(response, dict) else [],
        body=body_out,
        body_problem=problem,
        started=_moment(entry.get("startedDateTime")),
        elapsed=float(elapsed) / 1000 if isinstance(elapsed, (int, float)) and elapsed > 0 else 0.0,
        page=entry.get("pageref") if isinstance(entry.get("pageref"), str) else None,
        credential=entry.get("_credential") if isinstance(entry.get("_credential"), str) else None,
    )


def raw_from_exchange_doc(doc: Mapping[str, Any], max_body: int) -> Raw | str:
    """An exchange as results.json lists it (apiconform.report.evidence) as a `Raw` exchange."""
    if not isinstance(doc.get("url"), str) or not isinstance(doc.get("method"), str):
        return "not an HTTP exchange (no method and url)"
    status = doc.get("status")
    if not isinstance(status, int) or isinstance(status, bool) or status <= 0:
        status = None
    text = doc.get("response_body")
    body: bytes | None = text.encode("utf-8", errors="replace") if isinstance(text, str) else None
    problem = None if body is not None else "no body recorded"
    if body is not None and (len(body) > max_body or len(text or "") >= RECORDED_BODY):
        body, problem = None, "body cut by the recorder"
    request_body = doc.get("request_body")
    elapsed = doc.get("elapsed")
    return Raw(
        method=doc["method"].upper(),
        url=doc["url"],
        request_headers=_pairs(doc.get("request_headers")),
        request_body=request_body.encode() if isinstance(request_body, str) else b"",
        status=status,
        response_headers=_pairs(doc.get("response_headers")),
        body=body,
        body_problem=problem,
        started=_moment(doc.get("started")),
        elapsed=float(elapsed) if isinstance(elapsed, (int, float)) and elapsed > 0 else 0.0,
    )


def _open(path: Path) -> IO[bytes]:
    try:
        handle: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the traffic file: {exc.strerror or exc}") from None
    if path.suffix == ".gz":
        return gzip.open(handle, "rb")  # type: ignore[return-value]
    return handle


def _is_json_lines(path: Path, handle: IO[bytes]) -> bool:
    """Whether the file is JSON lines (see the module docstring); the handle is rewound."""
    name = path.name.removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        return True
    if name.endswith((".har", ".json")):
        return False
    line = handle.readline(_SNIFF)
    handle.seek(0)
    try:
        first = json.loads(line)
    except ValueError:
        return False
    return isinstance(first, dict) and "log" not in first


class TrafficReader:
    """Reads traffic files for one provider (see the module docstring)."""

    def __init__(
        self,
        profile: Profile,
        masker: Masker,
        *,
        base_url: str | None = None,
        max_body: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.profile = profile
        self.masker = masker
        self.max_body = max_body
        self.stats = ReadStats(base_url=base_url.rstrip("/") if base_url else None)
        if base_url:
            self.stats.base_url_source = "configured"

    def read(self, paths: Sequence[str | Path]) -> Iterator[Observed]:
        for name in paths:
            path = Path(name)
            self.stats.files.append(str(path))
            with _open(path) as handle:
                try:
                    lines = _is_json_lines(path, handle)
                except (OSError, EOFError) as exc:
                    raise UsageError(f"{path}: cannot read the traffic file: {exc}") from None
                source = self._lines(path, handle) if lines else self._har(path, handle)
                for raw in source:
                    seen = self.accept(raw)
                    if seen is not None:
                        yield seen

    # -- formats ----------------------------------------------------------------------------

    def _har(self, path: Path, handle: IO[bytes]) -> Iterator[Raw]:
        pages = self._pages(path, handle) if self.stats.base_url is None else {}
        if pages:
            page, self.stats.base_url = next(iter(pages.items()))
            self.stats.base_url_source = f"the HAR page {page!r} of {path.name}"
        handle.seek(0)
        read = 0
        try:
            for entry in ijson.items(handle, "log.entries.item", use_float=True):
                read += 1
                self.stats.entries += 1
                if not isinstance(entry, dict):
                    self.stats.skipped["not an HTTP exchange"] += 1
                    continue
                raw = raw_from_har(entry, self.max_body)
                if isinstance(raw, str):
                    self.stats.skipped[raw] += 1
                    continue
                if pages and raw.page not in pages:
                    self.stats.skipped["another page of the HAR (another provider)"] += 1
                    continue
                yield raw
        except ijson.IncompleteJSONError:
            if read == 0 and not pages:
                raise UsageError(
                    f"{path}: not a HAR file (no complete entry: cut short, or not JSON)"
                ) from None
            self.stats.warnings.append(f"{path}: the file is cut short; read {read} entries up to the cut")
        except ijson.JSONError as exc:
            if read == 0:
                raise UsageError(f"{path}: not a HAR file ({str(exc).strip()[:120]})") from None
            self.stats.warnings.append(f"{path}: not JSON after entry {read}; read {read} entries")
        except (OSError, EOFError) as exc:
            raise UsageError(f"{path}: cannot read the traffic file: {exc}") from None
        if read == 0 and not self._has_log(handle):
            raise UsageError(f"{path}: not a HAR file (no log.entries)")

    def _has_log(self, handle: IO[bytes]) -> bool:
        handle.seek(0)
        try:
            for prefix, event, _ in ijson.parse(handle):
                if prefix == "log.entries" and event == "start_array":
                    return True
        except (ijson.JSONError, OSError, EOFError):
            return False
        return False

    def _pages(self, path: Path, handle: IO[bytes]) -> dict[str, str]:
        """apiconform's HAR pages of this provider (`<provider> @ <base URL>`): id -> base URL.
        Reads no further than the end of `log.pages` (or the start of `log.entries`)."""
        found: dict[str, str] = {}
        current: dict[str, str] = {}
        try:
            for prefix, event, value in ijson.parse(handle):
                if prefix.startswith("log.entries"):
                    break
                if prefix in ("log.pages.item.id", "log.pages.item.title") and isinstance(value, str):
                    current[prefix.rsplit(".", 1)[1]] = value
                elif prefix == "log.pages.item" and event == "end_map":
                    title, page = current.get("title", ""), current.get("id", "")
                    name, _, url = title.partition(" @ ")
                    if name == self.profile.name and url.startswith(("http://", "https://")):
                        found[page] = url.rstrip("/")
                    current = {}
                elif prefix == "log.pages" and event == "end_array":
                    break
        except (ijson.JSONError, OSError, EOFError):
            pass
        return found

    def _lines(self, path: Path, handle: IO[bytes]) -> Iterator[Raw]:
        """The exchanges of a JSON-lines file; UsageError when no line of it is one."""
        read = usable = 0
        for line in io.TextIOWrapper(handle, encoding="utf-8", errors="replace"):
            if not line.strip():
                continue
            read += 1
            self.stats.entries += 1
            try:
                item = json.loads(line)
            except ValueError:
                item = None
            if not isinstance(item, dict):
                self.stats.skipped["not a JSON object (JSON lines)"] += 1
                continue
            raw = (
                raw_from_har(item, self.max_body)
                if "request" in item
                else raw_from_exchange_doc(item, self.max_body)
            )
            if isinstance(raw, str):
                self.stats.skipped[raw] += 1
                continue
            usable += 1
            yield raw
        if read and not usable:
            raise UsageError(f"{path}: neither a HAR file nor JSON lines of exchanges")

    # -- one exchange -----------------------------------------------------------------------

    def accept(self, raw: Raw) -> Observed | None:
        """`raw` as an `Observed` exchange when it is one of the API's with a response (masked:
        `masked`); else None, counted under the reason it was skipped."""
        if not raw.url.startswith(("http://", "https://")):
            self.stats.skipped["not an absolute http(s) URL"] += 1
            return None
        try:
            origin(raw.url)
        except ValueError:
            self.stats.skipped["unreadable entry (its URL's port is no number)"] += 1
            return None
        if self.stats.base_url is None and raw.status is not None:
            parts = urlsplit(raw.url)
            self.stats.base_url = f"{parts.scheme}://{parts.netloc}"
            self.stats.base_url_source = "the first exchange's origin (set --base-url for another)"
        if self.stats.base_url is None or not under(raw.url, self.stats.base_url):
            self.stats.skipped["another host or path (not under the base URL)"] += 1
            return None
        if raw.status is None:
            self.stats.skipped["no response recorded"] += 1
            return None
        try:
            seen = self.masked(raw)
        except (ValueError, TypeError, httpx.HTTPError) as exc:  # httpx.InvalidURL is a ValueError
            self.stats.skipped[f"unreadable entry ({type(exc).__name__})"] += 1
            return None
        self.stats.used += 1
        return seen

    def masked(self, raw: Raw) -> Observed:
        """`raw` as an `Observed` exchange, every secret it carries masked in what is kept."""
        body = raw.body if raw.body is not None else b""
        harvest(
            self.masker,
            self.profile,
            method=raw.method,
            url=raw.url,
            request_headers=raw.request_headers,
            request_body=raw.request_body,
            response_body=body,
        )
        if raw.body_problem is not None:
            self.stats.bodies[raw.body_problem] += 1
        mask = self.masker.mask
        kept = raw.body_problem is None
        masked_body = (
            mask(mask_fields(body.decode("utf-8", errors="replace")))[:RECORDED_BODY] if kept else ""
        )
        request_text = mask(mask_fields(raw.request_body.decode("utf-8", errors="replace")))
        exchange = Exchange(
            method=raw.method,
            url=mask(raw.url),
            request_headers=tuple(self.masker.mask_headers(raw.request_headers)),
            request_body=request_text[:RECORDED_BODY],
            status=raw.status,
            response_headers=tuple(self.masker.mask_headers(raw.response_headers)),
            response_body=masked_body if kept else f"[{raw.body_problem}]",
            elapsed=raw.elapsed,
        )
        return observed(
            index=self.stats.entries,
            exchange=exchange,
            base_url=self.stats.base_url or "",
            url=raw.url,
            request_headers=raw.request_headers,
            request_body=raw.request_body,
            response_headers=raw.response_headers,
            content=body,
            body_kept=kept,
            credential=credential_label(raw.request_headers) or raw.credential,
            started=raw.started,
        )
