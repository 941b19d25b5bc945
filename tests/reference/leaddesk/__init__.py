"""Unit tests of the LeadDesk reference server (apiconform.providers.leaddesk), through
Starlette's TestClient: one module per part of the server, the fault cases in `cases.py`."""
