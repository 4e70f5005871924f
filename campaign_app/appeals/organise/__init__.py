"""The organiser side of appeals: each campaign's officials and the appeal texts for them."""
