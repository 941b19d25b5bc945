"""Observed mode: rules judged from recorded traffic alone, at zero requests to the target.

`apiconform check PROVIDER FILE ...` reads recorded exchanges (HAR 1.2, or JSON lines: one HAR
entry, or one results.json exchange, per line) as a stream (apiconform.observed.reader), masks
every secret in them before anything is kept (apiconform.observed.secrets), turns each into an
`Observed` exchange (apiconform.observed.observation) and hands it to the provider's observers
(`apiconform.providers.<name>.observed`), which judge the rules that can be judged from observed
exchanges with the same check functions the live suites use. Each rule ends `passed`, `failed`
(with the exchanges as evidence) or `skipped` ("not observed in the traffic"), in the same reports
as `apiconform run` (apiconform.observed.judge). `apiconform proxy` records a user's own traffic
through a forwarding proxy (apiconform.observed.proxy) and reports the same way.
"""
