"""Cross-cutting helpers that every app may use (no models, imports nothing of ours)."""
