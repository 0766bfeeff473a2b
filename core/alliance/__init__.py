"""The therapeutic alliance over time: timeline, entered scores, prep lines, check-in prompts, commands."""
