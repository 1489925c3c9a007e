"""Proposed answers and their review (答复审核): one workflow for every kind of reviewed item."""
