"""The PySide6 GUI: the only place Qt is imported."""
import sys

if sys.version_info < (3, 12):
    import ctypes

    # PySide6 6.12 on Python 3.11 drops a reference to None each time an invalid QVariant comes back to
    # Python as None (QComboBox.currentData(), QModelIndex.data(), ...); a few thousand calls and the
    # interpreter aborts with "deallocating None". None is immortal from Python 3.12 on; here we give it
    # enough references that it can never reach zero.
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
