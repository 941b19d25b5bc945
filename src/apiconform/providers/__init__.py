"""Reference servers, one sub-package per vendor API the suite covers."""
