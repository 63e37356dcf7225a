"""The survey model: form definitions, the municipality register, answers, compilation."""
