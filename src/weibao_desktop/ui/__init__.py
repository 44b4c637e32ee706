"""The PySide6 GUI: the only place Qt is imported."""
