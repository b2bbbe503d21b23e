"""`clauselint fix`: insert the missing clauses into a Word contract as tracked changes with comments."""

from clauselint.fix.fixer import Change, FixOptions, FixResult, Skipped, fix_file
from clauselint.fix.values import RenderValues, apply_sets, from_spec

__all__ = ["Change", "FixOptions", "FixResult", "RenderValues", "Skipped", "apply_sets", "fix_file", "from_spec"]
