"""The Spaces reference server's tests, one module per area; cases.py holds its fault cases."""
