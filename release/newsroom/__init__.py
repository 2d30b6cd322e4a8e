"""The newsroom (tin báo chí): publication of press statements, subscriptions, distribution.

A second context inside the `release` app (same app label, same tables): it listens to the
issuing core (`release.signals.document_issued`), answers its embargo hook
(`RELEASE_EMBARGO_POLICY`) and calls only `release.services.document_dispatched`. The core
imports nothing from here (import-linter contract in pyproject.toml).
"""
