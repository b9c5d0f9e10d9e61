"""Benchmarks of the repair engine against orjson (the floor) and its peers.

``pytest benchmarks`` measures (pytest-benchmark); ``python -m benchmarks.report`` runs
them, compares and writes the report. See ``benchmarks/README.md``.
"""
