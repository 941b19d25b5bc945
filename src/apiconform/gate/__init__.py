"""The CI gate around a run: which rules run (selection), which failures are accepted for now
(waivers), and what changed since an earlier run (diff). Pure functions over catalogues and
results documents; the CLI applies them."""
