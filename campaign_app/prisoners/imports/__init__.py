"""Prisoners and institutions imported from a CSV list: parse, preview (a plan), commit."""
