"""Make ``import mmaction.models`` work with the mmaction2 1.2.0 wheel.

The 1.2.0 wheel (and sdist) ships without ``mmaction/models/localizers/drn/``
(upstream issue open-mmlab/mmaction2#2714), yet ``localizers/__init__.py``
imports ``from .drn.drn import DRN``, so every import of ``mmaction.models``
fails with ``ModuleNotFoundError``. This script guards that one import so the
rest of mmaction2 works; the DRN localizer stays unavailable (its code is not
in the wheel). It is idempotent and does nothing on a fixed release.

Usage: python tools/misc/repair_mmaction2.py
"""
import importlib.util
import sys
from pathlib import Path

BROKEN_IMPORT = 'from .drn.drn import DRN\n'
MARKER = '# uniformer_mm: guarded, see open-mmlab/mmaction2#2714'
GUARDED_IMPORT = (f'try:  {MARKER}\n'
                  '    from .drn.drn import DRN\n'
                  'except ModuleNotFoundError:\n'
                  '    DRN = None\n')


def repair() -> str:
    """Patch the installed mmaction2 if needed; return what was done."""
    spec = importlib.util.find_spec('mmaction')
    if spec is None or spec.origin is None:
        raise SystemExit('mmaction2 is not installed in this environment; '
                         'run tools/install.sh first.')
    localizers = Path(spec.origin).parent / 'models' / 'localizers'
    init_file = localizers / '__init__.py'
    if (localizers / 'drn' / 'drn.py').exists():
        return 'mmaction2 ships localizers/drn: nothing to repair'
    source = init_file.read_text()
    if MARKER in source:
        return f'already repaired: {init_file}'
    if BROKEN_IMPORT not in source:
        raise SystemExit(f'unexpected content in {init_file}: the DRN import '
                         'was not found, so this mmaction2 release needs a '
                         'different repair.')
    init_file.write_text(source.replace(BROKEN_IMPORT, GUARDED_IMPORT))
    return f'repaired: guarded the DRN import in {init_file}'


if __name__ == '__main__':
    print(f'[repair_mmaction2] {repair()}')
    sys.exit(0)
