"""Outgoing e-mail: queued in the caller's transaction, sent by a Celery worker, never by a request.

Imports nothing of ours, so every app (roles, workflows, …) may queue mail through it.
"""
