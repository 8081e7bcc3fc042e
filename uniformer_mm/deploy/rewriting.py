"""Replace one of MMDeploy's function rewrites with the project's."""
from typing import Callable


def replace_function_rewriter(func_name: str, rewrite: Callable) -> None:
    """Make ``rewrite`` MMDeploy's (default-backend) rewrite of
    ``func_name``, dropping the one MMDeploy registered: with two default
    rewrites MMDeploy would use the first. Idempotent."""
    from mmdeploy.core import FUNCTION_REWRITER
    records = FUNCTION_REWRITER._registry._rewrite_records
    kept = [r for r in records.get(func_name, []) if r['_checkers']]
    records[func_name] = kept
    FUNCTION_REWRITER.register_rewriter(func_name)(rewrite)
