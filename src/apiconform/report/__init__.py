"""Writing what a run found, all from the masked results document and recorded exchanges:
results.json, junit.xml, report.html, summary.md, traffic.har, the summary table, and the final scrub."""
