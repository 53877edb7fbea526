"""The guard: no forbidden action reaches an operator, whatever the wording."""
