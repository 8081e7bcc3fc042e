"""uniformer_mm.utils.cli: what the tools share (config, runner, one way to
fail)."""
import pytest
from helpers import demo_config

from uniformer_mm.utils.cli import (build_runner, default_work_dir,
                                    load_config, run_tool)
from uniformer_mm.utils.errors import FixableError


def test_load_config_missing_file(tmp_path):
    with pytest.raises(FixableError, match='does not exist'):
        load_config(str(tmp_path / 'nope.py'))
    with pytest.raises(FixableError, match='it is a directory'):
        load_config(str(tmp_path))
    cfg = load_config(demo_config('cls'), {'train_cfg.max_epochs': 3})
    assert cfg.train_cfg.max_epochs == 3


def test_default_work_dir():
    cfg = load_config(demo_config('seg'))
    default_work_dir(cfg, 'configs/demo/seg_demo.py')
    assert cfg.work_dir == './work_dirs/seg_demo'
    default_work_dir(cfg, 'configs/demo/seg_demo.py', 'elsewhere')
    assert cfg.work_dir == 'elsewhere'


def test_run_tool_exit_status(capsys):

    def fails(argv):
        raise FixableError('the problem; the fix')

    with pytest.raises(SystemExit) as e:
        run_tool(fails)
    assert e.value.code == 2
    assert capsys.readouterr().err == 'error: the problem; the fix\n'
    for returned, status in ((None, 0), (3, 3)):
        with pytest.raises(SystemExit) as e:
            run_tool(lambda argv: returned)
        assert e.value.code == status


def test_build_runner_uses_runner_type(tmp_path):
    """What the toolboxes' scripts do: RUNNERS.build with runner_type."""
    from uniformer_mm.engine import Runner
    cfg = load_config(demo_config('cls'))
    cfg.work_dir = str(tmp_path)
    cfg.train_dataloader.dataset.data_root = str(tmp_path / 'none')
    runner = build_runner(cfg)
    assert type(runner) is Runner
    with pytest.raises(FixableError, match='data_root'):
        runner.train()  # the data check, before any loader is built
