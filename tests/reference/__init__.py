"""Tests of the reference servers themselves: one package per provider (`tests/reference/<p>/`,
split by resource, with `cases.py` holding its fault-case table and factory), and the generic
fault tests written once over every provider (`test_faults.py`)."""
