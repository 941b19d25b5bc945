"""The last line of defence: mask every secret in every file of the report folder."""

from __future__ import annotations

from pathlib import Path

from apiconform.masking import Masker


def scrub_tree(root: Path, masker: Masker) -> int:
    """Rewrite each text file under `root` that contains a secret; return how many were rewritten.

    Binary files (images) are checked byte-wise and deleted if they contain a secret.
    """
    rewritten = 0
    secrets = masker.secrets
    if not secrets or not root.exists():
        return 0
    encoded = [s.encode() for s in secrets]
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if not any(secret in raw for secret in encoded):
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            path.unlink()
        else:
            path.write_text(masker.mask(text), encoding="utf-8")
        rewritten += 1
    return rewritten
