"""`apiconform serve PROVIDER`: a reference server in the foreground, until Ctrl-C."""

from __future__ import annotations

import argparse

from apiconform.config import load_config
from apiconform.errors import UsageError
from apiconform.profile import RateLimit
from apiconform.registry import get_profile


def parse_rate(text: str | None, default: RateLimit) -> RateLimit:
    """`--rate-limit N/SECONDS` as a RateLimit (`default` when not given); UsageError otherwise."""
    if text is None:
        return default
    try:
        count, _, seconds = text.partition("/")
        rate = RateLimit(int(count), float(seconds))
    except ValueError:
        raise UsageError(f"--rate-limit: expected N/SECONDS, got {text!r}") from None
    if rate.requests < 1 or rate.per_seconds <= 0:
        raise UsageError("--rate-limit: N must be >= 1 and SECONDS > 0")
    return rate


def command_serve(args: argparse.Namespace) -> int:
    """Start the server, print its address, settings, faults and credentials, serve until stopped."""
    from apiconform.reference.serving import ServerOptions

    profile = get_profile(args.provider)
    try:
        faults = profile.faults().validate(args.fault)
    except ValueError as exc:
        raise UsageError(f"--fault: {exc}") from None
    configured = load_config(args.config).provider(profile.name).credentials if args.config else {}
    credentials = {
        name: configured.get(name)
        or ("1" if name in profile.numeric_credentials else f"{profile.name}-demo-{name.replace('_', '-')}")
        for name in profile.credentials
    }
    rate = parse_rate(args.rate_limit, profile.documented_rate_limit)
    options = ServerOptions(
        credentials=credentials,
        faults=faults,
        variant=args.variant,
        rate_limit=(rate.requests, rate.per_seconds),
    )
    try:
        server = profile.start_reference(options, host=args.host, port=args.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    print(f"{profile.title} reference server on {server.base_url}")
    if isinstance(server.verify, str):
        print(f"  TLS certificate issued by the test CA in {server.verify} (config: verify = that path)")
    for name, value in server.settings.items():
        print(f"  {name}: {value}")
    print(
        f"faults: {', '.join(sorted(faults)) or 'none'}; variant: {args.variant}; "
        f"rate limit: {rate.requests}/{rate.per_seconds:g} s per key"
    )
    for name, value in credentials.items():
        shown = value if not configured.get(name) else "(from config)"
        print(f"  {name}: {shown}")
    print("Ctrl-C stops it.", flush=True)
    server.serve_forever()
    return 0
