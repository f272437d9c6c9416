"""The local stand-in for Azure ML's ParallelRunStep worker process (see ../PROTOCOL.md)."""

# Sent in `hello`; the engine refuses a worker whose version differs (a stale copy of this package).
# 2: hello carries `protocol`; errors carry `cause` (and `module` for a missing module).
PROTOCOL_VERSION = 2
