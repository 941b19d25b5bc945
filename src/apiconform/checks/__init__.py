"""Shared checks, written once and parameterised by the provider profile."""
