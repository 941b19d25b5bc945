"""The Coliving reference server: `server.create_app` (its processing order, choices where the
document is silent, variants and module layout are in `server`'s docstring), its state (`store`)
and faults (`faults`).

The server is not imported here so that loading the fault catalogue does not pull in Starlette.
"""
