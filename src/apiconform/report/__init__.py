"""Writing what a run found: results.json, junit.xml, the summary table, and the final scrub."""
