"""``python -m clauselint``."""

from clauselint.cli.app import main

main()
