"""The Coliving reference server's tests, one module per resource."""
