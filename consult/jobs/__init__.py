"""Work that follows a change, queued in the change's transaction and done by a worker (queue.py)."""
