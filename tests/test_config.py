"""Config loading: valid files, ${ENV} interpolation, and one clear line for each kind of mistake."""

from __future__ import annotations

import pytest

from apiconform.config import ProviderConfig, load_config, parse_config, with_base_url
from apiconform.errors import ConfigError

VALID = """
[coliving]
base_url = "https://api.example.test"
api_key = "${APICONFORM_TEST_KEY}"
timeout = 5
allow_writes = true
rate_limit = { requests = 30, per_seconds = 60 }
"""

#: (description, TOML text, the fragment the one-line message must contain)
BAD_CONFIGS = [
    ("unknown provider table", "[colivng]\napi_key = 'k'\n", "unknown provider table [colivng]"),
    ("unknown key", "[coliving]\napi_kye = 'k'\n", "[coliving] unknown key 'api_kye'"),
    ("wrong type", "[coliving]\ntimeout = 'fast'\n", "[coliving] timeout"),
    ("negative timeout", "[coliving]\ntimeout = -1\n", "[coliving] timeout"),
    ("non-http base_url", "[coliving]\nbase_url = 'ftp://x'\n", "is not an http(s) URL"),
    ("bad rate limit", "[coliving]\nrate_limit = { requests = 0, per_seconds = 60 }\n", "rate_limit"),
    (
        "rate limit extra key",
        "[coliving]\nrate_limit = { requests = 1, per_seconds = 1, burst = 2 }\n",
        "rate_limit",
    ),
    (
        "unset env var",
        "[coliving]\napi_key = '${APICONFORM_SURELY_UNSET}'\n",
        "APICONFORM_SURELY_UNSET is not set",
    ),
    ("missing CA bundle", "[coliving]\nverify = '/nonexistent/ca.pem'\n", "does not exist"),
    ("TOML syntax", "[coliving\n", "invalid TOML"),
]


def test_valid_config_with_env(tmp_path, monkeypatch):
    monkeypatch.setenv("APICONFORM_TEST_KEY", "from-the-environment")
    path = tmp_path / "apiconform.toml"
    path.write_text(VALID)
    config = load_config(path).provider("coliving")
    assert config.base_url == "https://api.example.test"
    assert config.credentials == {"api_key": "from-the-environment"}
    assert config.timeout == 5.0
    assert config.writes_allowed() is True
    assert config.rate_limit is not None and (config.rate_limit.requests, config.rate_limit.per_seconds) == (
        30,
        60,
    )


@pytest.mark.parametrize(("description", "text", "fragment"), BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_is_one_clear_line(tmp_path, description, text, fragment):
    path = tmp_path / "apiconform.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message.strip()
    assert message.startswith(str(path))


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_no_file_means_embedded_servers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(None)
    assert config.provider("coliving").embedded


@pytest.mark.parametrize(
    ("base_url", "allow_writes", "expected"),
    [
        (None, None, True),
        ("http://127.0.0.1:8000", None, True),
        ("http://localhost:8000", None, True),
        ("https://api.example.test", None, False),
        ("https://api.example.test", True, True),
        ("http://127.0.0.1:8000", False, False),
    ],
)
def test_writes_default_to_loopback_only(base_url, allow_writes, expected):
    assert (
        ProviderConfig(name="coliving", base_url=base_url, allow_writes=allow_writes).writes_allowed()
        is expected
    )


def test_base_url_override_is_validated():
    config = parse_config({}).provider("coliving")
    assert with_base_url(config, "http://127.0.0.1:9/").base_url == "http://127.0.0.1:9"
    with pytest.raises(ConfigError, match="--base-url"):
        with_base_url(config, "127.0.0.1:9")


@pytest.mark.parametrize(("value", "env"), [('"pw1"', {}), ("12345", {}), ('"${SHORT}"', {"SHORT": "pw1"})])
def test_secret_errors_never_echo_the_value(tmp_path, monkeypatch, value, env):
    """A credential too short to mask (or not a string) is one config error that names the key
    and not the value, wherever the value came from."""
    for name, content in env.items():
        monkeypatch.setenv(name, content)
    path = tmp_path / "apiconform.toml"
    path.write_text(f"[leaddesk]\npassword = {value}\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert "[leaddesk] password" in message and "at least 4 characters" in message
    assert "pw1" not in message and "12345" not in message and "\n" not in message


def test_public_credential_may_be_short(tmp_path):
    """LeadDesk's account number identifies, it does not authenticate: "7" is a valid value."""
    path = tmp_path / "apiconform.toml"
    path.write_text('[leaddesk]\nleaddesk_client_id = "7"\n')
    assert load_config(path).provider("leaddesk").credentials == {"leaddesk_client_id": "7"}


@pytest.mark.parametrize("value", ["1", "7"])
def test_public_credential_as_the_document_types_it(tmp_path, value):
    """`leaddesk_client_id = 1`, a number as in the document's examples, is accepted."""
    path = tmp_path / "apiconform.toml"
    path.write_text(f"[leaddesk]\nleaddesk_client_id = {value}\n")
    assert load_config(path).provider("leaddesk").credentials == {"leaddesk_client_id": value}


@pytest.mark.parametrize(
    ("written", "used"),
    [
        ("https://api.coliving.com/v1", "https://api.coliving.com"),
        ("https://api.coliving.com/v1/", "https://api.coliving.com"),
        ("https://api.coliving.com", "https://api.coliving.com"),
        ("http://127.0.0.1:8000/partner/v1", "http://127.0.0.1:8000/partner"),
    ],
)
def test_coliving_base_url_as_the_document_prints_it(tmp_path, written, used):
    """The document's base URL carries /v1, the suite's paths too: the root is used, and the
    change is noted once (for the run to print)."""
    path = tmp_path / "apiconform.toml"
    path.write_text(f'[coliving]\nbase_url = "{written}"\n')
    config = load_config(path).provider("coliving")
    assert config.base_url == used
    assert len(config.notes) == (0 if written.rstrip("/") == used else 1)
    for note in config.notes:
        assert written.rstrip("/") in note and used in note and "\n" not in note
    overridden = with_base_url(parse_config({}).provider("coliving"), written)
    assert overridden.base_url == used and overridden.notes == tuple(
        n.replace(f"{path}: [coliving] base_url", "--base-url") for n in config.notes
    )
