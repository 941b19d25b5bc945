"""Reference servers: what every provider's server is built from.

- `serving`: running an ASGI app on uvicorn (`RunningServer`, `Deployment`, `ServerOptions`, the
  conformant variants);
- `limits`: server-side rate limiters;
- `faults`: the fault catalogue type;
- `kit`: the small pieces every server shares (the catch-all app that hands any method to one
  handler, the guard that turns an unexpected exception into the provider's 500, parsers).

A provider's server (`apiconform.providers.<name>.server`) imports from here and from its own
package only, never from another provider (tests/test_layout.py holds it to that).
"""
