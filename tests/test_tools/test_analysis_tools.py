"""tools/analysis_tools: get_flops.py and sharding_memory.py as command
lines (their package code is tested in tests/test_analysis)."""
import os.path as osp

from helpers import PY, REPO, TOOLS, run


def test_sharding_memory_command():
    code, out = run([
        PY,
        osp.join(TOOLS, 'analysis_tools', 'sharding_memory.py'),
        'configs/demo/cls_demo.py', '--gpus', '2', '--activations'
    ], REPO)
    assert code == 0, out[-2000:]
    for words in ('DDP', 'FSDP FULL_SHARD', 'DeepSpeed ZeRO-2',
                  'backbone activations for backward, 1 sample of 224x224'):
        assert words in out


def test_tools_fail_with_one_error_style():
    """A FixableError: its message after 'error:', status 2, no
    traceback."""
    for args, message in (
        (['analysis_tools/sharding_memory.py', 'configs/demo/cls_demo.py',
          '--gpus', '0'], 'error: --gpus must be >= 1'),
        (['analysis_tools/get_flops.py', 'configs/demo/action_demo.py',
          '--shape', '64'], 'error: video models take --shape T H W'),
        (['analysis_tools/get_flops.py', 'configs/demo/none.py'],
         "error: config file 'configs/demo/none.py' does not exist"),
    ):
        code, out = run([PY, osp.join(TOOLS, *args[0].split('/')), *args[1:]],
                        REPO)
        assert code == 2, out[-2000:]
        assert message in out and 'Traceback' not in out, out[-2000:]
