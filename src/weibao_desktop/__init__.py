"""未保工作站 (weibao-desktop): offline-first desktop program for township minor-protection workstations."""

# The one place the version is written: pyproject.toml reads it, and so do the installers and 关于.
__version__ = "0.2.0.dev0"
