"""The Livespace CRM provider: how a call is made (`calls`), its profile (`profile`), the envelope
rules (`envelope`), and the reference server: `server.create_app`, its state (`store`) and faults
(`faults`).

The server is not imported here so that loading the fault catalogue does not pull in Starlette.
"""
