"""`python -m prs_worker --config C --node N --process P --rows R`: one long-lived worker process."""
import sys

from prs_worker.worker import main

if __name__ == "__main__":
    sys.exit(main())
