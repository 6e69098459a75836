"""PMQA Desktop: offline planning and tracking of PMQA quality work for Thai provincial offices."""
__version__ = "0.1.0"
