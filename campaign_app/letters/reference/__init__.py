"""Letters' reference data in the organiser area: occasions, phrasebook, postal routes."""
