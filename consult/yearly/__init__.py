"""The year in figures (seed 002: the year's work in the annual government-information report): what was
listed, consulted, received, answered, reported, interpreted and evaluated, per department and in total,
from the public records only."""
