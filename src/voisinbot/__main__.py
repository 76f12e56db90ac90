"""Allow ``python -m voisinbot``."""

from voisinbot.cli import main

raise SystemExit(main())
