"""The PySide6 GUI: the only place Qt is imported."""
import sys

if sys.version_info < (3, 12):
    import ctypes

    # PySide6 6.12 on Python 3.11 drops a reference each time it hands Python one of these singletons:
    # None for an invalid QVariant (QComboBox.currentData(), QModelIndex.data(), ...) and True/False as
    # the result of Signal.emit(). After a few thousand calls the interpreter aborts ("deallocating None",
    # "deallocating True or False"). They are immortal from Python 3.12 on; here we give them enough
    # references that they can never reach zero.
    for _singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40
