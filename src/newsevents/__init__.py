"""newsevents: tag actors, deployments, meetings and condemnations in English news."""

from newsevents.schema import LABELS, Record, Span, read_jsonl, write_jsonl

__all__ = ["LABELS", "Record", "Span", "read_jsonl", "write_jsonl"]
__version__ = "0.1.0"
