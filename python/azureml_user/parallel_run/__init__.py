"""`from azureml_user.parallel_run import EntryScript` works locally as it does in the cloud."""
from prs_worker.entry_script import EntryScript

__all__ = ["EntryScript"]
