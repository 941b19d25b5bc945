"""TLS for reference servers: a certificate from a fresh test CA (trustme), and a server speaking
HTTPS with it. A client trusts the server by the CA's PEM file (`verify = ca_path`); the files live
in a temporary folder that `cleanup()` removes."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apiconform.reference.serving import RunningServer


@dataclass
class IssuedCertificate:
    """A certificate for one host, issued by a fresh test CA: `ca_path` (the CA's PEM, what a
    client verifies with) and `chain_path` (the server's key and certificate chain, one PEM)."""

    ca_path: str
    chain_path: str
    _folder: tempfile.TemporaryDirectory[str] = field(repr=False)

    @classmethod
    def issue(cls, host: str) -> IssuedCertificate:
        import trustme

        folder = tempfile.TemporaryDirectory(prefix="apiconform-tls-")
        authority = trustme.CA()
        paths = {name: str(Path(folder.name) / f"{name}.pem") for name in ("ca", "chain")}
        authority.cert_pem.write_to_path(paths["ca"])
        authority.issue_cert(host).private_key_and_cert_chain_pem.write_to_path(paths["chain"])
        return cls(paths["ca"], paths["chain"], folder)

    def cleanup(self) -> None:
        self._folder.cleanup()


def serve_https(app: Any, certificate: IssuedCertificate, *, host: str, port: int = 0) -> RunningServer:
    """`app` served over HTTPS on `host`:`port` with `certificate` (port 0: any free port)."""
    return RunningServer(
        app,
        host=host,
        port=port,
        scheme="https",
        ssl_certfile=certificate.chain_path,
        ssl_keyfile=certificate.chain_path,
    )
