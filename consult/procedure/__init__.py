"""A decision's whole procedure, gathered from every area: its stage, its timeline, its documents.

It sits above the areas it reads, so that the topic page, the catalog and the API ask one place.
"""
