"""apiconform: contract-test and conformance suite for vendor HTTP APIs."""

__version__ = "0.1.0"
