"""The commands of `apiconform` besides `run` (apiconform.gate.run), each a function of the parsed
command line (apiconform.cli) that prints what the command shows and returns its exit code."""
