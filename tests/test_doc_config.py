"""Config as the documents print it: the base URL exactly as a document gives it, and values typed
as the document shows them, run conformant against a reference server (started here, so that the
run treats it as a real target reached through its configured base URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from apiconform.reference.serving import ServerOptions
from apiconform.registry import get_profile

#: the embedded servers' compressed rate-limit windows, given to the run as a real target's limit
FAST = "rate_limit = { requests = 60, per_seconds = 1 }\n"


def run(folder: Path, provider: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    result = subprocess.run(
        [sys.executable, "-m", "apiconform.cli", "run", provider, "--report-dir", "out"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result, json.loads((folder / "out" / "results.json").read_text())


def start(provider: str, credentials: dict[str, str]):
    profile = get_profile(provider)
    return profile.start_reference(ServerOptions(credentials=credentials, rate_limit=(60, 1.0)))


def test_coliving_base_url_with_v1_as_the_document_prints_it(tmp_path):
    """`base_url = ".../v1"` (the document's "Base API URL") runs conformant, and the run says
    once what it used instead."""
    key = "doc-config-coliving-key-0a1b2c"
    server = start("coliving", {"api_key": key})
    try:
        (tmp_path / "apiconform.toml").write_text(
            f'[coliving]\nbase_url = "{server.base_url}/v1"\napi_key = "{key}"\nallow_writes = true\n' + FAST
        )
        result, document = run(tmp_path, "coliving")
    finally:
        server.stop()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    provider = document["providers"][0]
    assert provider["base_url"] == server.base_url and provider["conformant"]
    assert provider["summary"]["passed"] > 0 and provider["summary"]["failed"] == 0
    notes = [line for line in result.stderr.splitlines() if "is used as" in line]
    assert len(notes) == 1 and f"{server.base_url}/v1 is used as {server.base_url}" in notes[0]


def test_leaddesk_numeric_client_number_and_stable_base_url(tmp_path):
    """`leaddesk_client_id = 1`, a number as in the document's grant examples, and the base URL
    with `/stable` as in the document's URLs, run conformant with the special grants."""
    credentials = {
        "client_id": "doc-config-client",
        "client_secret": "doc-config-secret-9f8e",
        "username": "doc-config-user",
        "password": "doc-config-password-7d6c",
        "leaddesk_client_id": "1",
    }
    server = start("leaddesk", credentials)
    try:
        table = "".join(
            f'{name} = "{value}"\n' for name, value in credentials.items() if name != "leaddesk_client_id"
        )
        (tmp_path / "apiconform.toml").write_text(
            f'[leaddesk]\nbase_url = "{server.base_url}"\nleaddesk_client_id = 1\nallow_writes = true\n'
            f'verify = "{server.verify}"\n' + table + FAST  # the reference server's test CA (it speaks HTTPS)
        )
        result, document = run(tmp_path, "leaddesk")
    finally:
        server.stop()
    assert server.base_url.endswith("/stable")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    outcomes = {rule["id"]: rule["outcome"] for rule in document["providers"][0]["rules"]}
    assert outcomes["leaddesk.oauth.leaddesk-client-id-grant"] == "passed"
    assert outcomes["leaddesk.oauth.client-user-grant"] == "passed"
