"""`python -m prs_worker --config C --node N --process P --rows R`: one long-lived worker process."""
import os
import sys


def _import_main():
    """Imports the worker, with its bytecode cached in the engine's cache folder when the engine names one.

    Without a cache every start compiles the package from source (~30 ms) wherever .pyc files cannot be
    written: PYTHONDONTWRITEBYTECODE set, or an extension folder that is read-only. Only this package's
    import (and the standard modules it pulls in) uses the cache; the entry script's imports follow the
    user's settings untouched.
    """
    prefix = os.environ.pop("PARALLEL_RUN_PYCACHE", None)
    if prefix:
        # A prefix is also where Python then looks for the standard modules' bytecode: one that cannot be
        # written would make every start compile those from source. Use it only where it can be filled.
        try:
            os.makedirs(prefix, exist_ok=True)
            if not os.access(prefix, os.W_OK):
                prefix = None
        except OSError:
            prefix = None
    if not prefix:
        from prs_worker.worker import main

        return main
    saved = (sys.dont_write_bytecode, sys.pycache_prefix)
    sys.dont_write_bytecode, sys.pycache_prefix = False, prefix
    try:
        from prs_worker.worker import main
    finally:
        sys.dont_write_bytecode, sys.pycache_prefix = saved
    return main


if __name__ == "__main__":
    sys.exit(_import_main()())
