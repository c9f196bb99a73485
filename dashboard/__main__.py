"""`python -m dashboard …` runs the CLI."""

from dashboard.cli import main

raise SystemExit(main())
