"""The web interface (``clauselint serve``): French pages over the assembler, the linter, the fixer and the scanner."""
