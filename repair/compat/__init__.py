"""Drop-in replacements for the JSON-repair helpers of agent frameworks."""
