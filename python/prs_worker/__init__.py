"""The local stand-in for Azure ML's ParallelRunStep worker process (see ../PROTOCOL.md)."""

PROTOCOL_VERSION = 1
