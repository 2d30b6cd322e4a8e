"""The legal rulebook: effective-dated regimes, deadline rules, refusal grounds, calendar swaps."""
