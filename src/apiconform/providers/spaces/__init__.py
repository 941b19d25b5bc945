"""The Spaces provider: its profile (`profile`) and the reference server: `server.create_app` and
`server.create_plain_app`, its data (`store`) and faults (`faults`)."""
