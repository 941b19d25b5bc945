"""The LeadDesk reference server: `server.create_app` (the pipeline and route table, over `wire`,
`oauth`, `objects`, `paging`, `users`, `products` and `campaigns`), its state (`store`) and faults
(`faults`); `profile` is the provider's dialect.

The server is not imported here so that loading the fault catalogue does not pull in Starlette.
"""
