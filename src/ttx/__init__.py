"""ttx: a classroom tabletop-exercise facilitator."""

__version__ = "0.1.0"
