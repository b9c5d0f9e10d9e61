"""The rule layer: policy turned into plain data for the core."""
