"""The CI gate around a run: which rules run (selection), which failures are accepted for now
(waivers), what changed since an earlier run (diff), and the gated run itself (`run.run_gate`,
what `apiconform run` calls), which applies them and decides the exit code."""
