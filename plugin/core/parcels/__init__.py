"""parcels."""
