"""Entry point of the bundled program: the same `weibao` command as the installed package."""
import sys

from weibao_desktop.cli import main

sys.exit(main())
