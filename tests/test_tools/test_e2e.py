"""End-to-end runs of tools/ on the generated demo data, on CPU.

Every test runs the real command lines as subprocesses in one temporary
folder that holds ``data/demo`` (the demo configs read ``data/demo/...``
relative to the working directory), so nothing is written into the
repository. One trained checkpoint per task is shared by the checks that
need one. About 4 minutes on 2 otherwise idle CPU cores.
"""
import glob
import json
import os
import os.path as osp
import signal
import subprocess
import time

import pytest
from crafted_checkpoints import save_with_config_code, save_with_payload
from helpers import PY, REPO, TASKS, TOOLS, demo_config, free_port, run

from uniformer_mm.weights import load_checkpoint_file

pytestmark = pytest.mark.slow

# The metric each toolbox's evaluator reports.
METRIC = {
    'cls': 'accuracy/top1',
    'det': 'coco/bbox_mAP',
    'seg': 'mIoU',
    'pose': 'coco/AP',
    'action': 'acc/top1',
}


def losses(work_dir):
    path = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))[-1]
    with open(path) as f:
        return [r['loss'] for r in map(json.loads, f) if 'loss' in r]


def read_test_metrics(work_dir):
    path = sorted(glob.glob(osp.join(work_dir, '*', '*.json')))[-1]
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()][-1]


def no_partial_files(folder):
    return not glob.glob(osp.join(folder, '**', '*.part'), recursive=True)


@pytest.mark.parametrize('task', TASKS)
def test_train_then_test(task, demo_dir, trained):
    work_dir, ckpt = trained(task)
    loss = losses(work_dir)
    assert len(loss) >= 3, loss
    assert sum(loss[-2:]) / 2 < sum(loss[:2]) / 2, f'loss did not fall: {loss}'
    assert osp.isfile(ckpt) and no_partial_files(work_dir)

    test_dir = osp.join(work_dir, 'test')
    show_dir = osp.join(work_dir, 'vis')
    code, out = run([
        PY,
        osp.join(TOOLS, 'test.py'),
        demo_config(task), ckpt, '--work-dir', test_dir, '--show-dir', show_dir
    ], demo_dir)
    assert code == 0, out[-3000:]
    metrics = read_test_metrics(test_dir)
    assert METRIC[task] in metrics, metrics
    drawn = [
        p for p in glob.glob(osp.join(show_dir, '**', '*'), recursive=True)
        if p.endswith(('.png', '.jpg'))
    ]
    assert drawn, f'nothing drawn in {show_dir}'


def test_train_sh_two_cpu_processes(demo_dir):
    """tools/train.sh CFG 2 -> 2 gloo processes; the checkpoint tests."""
    work_dir = osp.join(demo_dir, 'work_dirs', 'seg_dist')
    port = free_port()
    code, out = run([
        'bash',
        osp.join(TOOLS, 'train.sh'),
        demo_config('seg'), '2', '--work-dir', work_dir, '--no-validate',
        '--cfg-options', 'train_cfg.max_iters=20',
        'default_hooks.checkpoint.interval=20'
    ],
                    demo_dir,
                    env=dict(PORT=port))
    assert code == 0, out[-3000:]
    assert 'gloo' in out and 'SyncBN' in out  # the CPU path was taken
    ckpt = osp.join(work_dir, 'iter_20.pth')
    state = load_checkpoint_file(ckpt)
    assert state['meta']['iter'] == 20
    assert not any(k.startswith('module.') for k in state['state_dict'])

    code, out = run([
        'bash',
        osp.join(TOOLS, 'test.sh'),
        demo_config('seg'), ckpt, '2', '--work-dir',
        osp.join(work_dir, 'test')
    ],
                    demo_dir,
                    env=dict(PORT=free_port()))
    assert code == 0, out[-3000:]
    assert 'mIoU' in read_test_metrics(osp.join(work_dir, 'test'))


def test_resume_after_interrupt(demo_dir):
    """Kill a run after its first checkpoint; --resume continues from it."""
    work_dir = osp.join(demo_dir, 'work_dirs', 'seg_resume')
    args = [
        PY,
        osp.join(TOOLS, 'train.py'),
        demo_config('seg'), '--work-dir', work_dir, '--no-validate'
    ]
    env = dict(os.environ)
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.Popen(
        args + ['--cfg-options', 'default_hooks.checkpoint.interval=10'],
        cwd=demo_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    pointer = osp.join(work_dir, 'last_checkpoint')
    try:
        deadline = time.time() + 300
        while not osp.isfile(pointer) and proc.poll() is None:
            assert time.time() < deadline, 'no checkpoint after 300s'
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)  # interrupt the run
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0, 'the run finished before the interrupt'
    assert no_partial_files(work_dir)
    with open(pointer) as f:
        saved = load_checkpoint_file(f.read().strip())
    saved_iter = saved['meta']['iter']
    assert saved_iter >= 10

    final_iter = saved_iter + 10
    code, out = run(
        args + [
            '--resume', '--cfg-options', f'train_cfg.max_iters={final_iter}',
            'default_hooks.checkpoint.interval=10',
            'default_hooks.logger.interval=5'
        ], demo_dir)
    assert code == 0, out[-3000:]
    assert f'resumed epoch: 0, iter: {saved_iter}' in out, out[-3000:]
    final = load_checkpoint_file(osp.join(work_dir, f'iter_{final_iter}.pth'))
    assert final['meta']['iter'] == final_iter
    assert no_partial_files(work_dir)


def test_mim_test_det(demo_dir, trained):
    """``mim test mmdet <demo cfg> --checkpoint <ckpt>`` (mmdet's own tool)."""
    mim = osp.join(osp.dirname(PY), 'mim')
    if not osp.isfile(mim):
        pytest.fail(f'mim not found next to {PY}: run tools/install.sh')
    _, ckpt = trained('det')
    code, out = run([
        mim, 'test', 'mmdet',
        demo_config('det'), '--checkpoint', ckpt, '--work-dir',
        osp.join(demo_dir, 'work_dirs', 'det_mim')
    ], demo_dir)
    assert code == 0, out[-3000:]
    assert 'coco/bbox_mAP:' in out, out[-3000:]


def test_bad_inputs_fail_clearly(demo_dir, trained):
    _, det_ckpt = trained('det')
    train, test = osp.join(TOOLS, 'train.py'), osp.join(TOOLS, 'test.py')
    cases = [
        # a config path that does not exist
        ([PY, train, 'configs/demo/no_such_config.py'], 'does not exist'),
        ([PY, test, 'configs/demo/no_such_config.py',
          det_ckpt], 'does not exist'),
        # a checkpoint of another model / another arch of the same model
        ([PY, test, demo_config('cls'), det_ckpt], 'does not fit'),
        ([
            PY, test,
            demo_config('det'), det_ckpt, '--cfg-options',
            'model.backbone.arch.embed_dims=[16,32,64,128]',
            'model.neck.in_channels=[16,32,64,128]'
        ], 'another shape'),
        ([PY, train,
          demo_config('det'), '--resume',
          det_ckpt + '.missing'], 'does not exist'),
        # a data root that does not exist
        ([
            PY, train,
            demo_config('det'), '--cfg-options',
            'train_dataloader.dataset.data_root=no/such/root/'
        ], "train_dataloader.dataset.data_root: 'no/such/root/'"),
    ]
    for args, message in cases:
        code, out = run(args, demo_dir)
        assert code == 2, (args, out[-2000:])
        assert message in out, (args, out[-2000:])
        assert 'Traceback' not in out, (args, out[-2000:])


# One demo input per task (generated by make_demo_data.py) and the class
# that the trained demo model must name for it (cls: its top-1).
INFER_INPUTS = {
    'cls': ('data/demo/cls/val/circle/val_circle_0000.png', 'circle'),
    'det': ('data/demo/det/val2017/000001.jpg', None),
    'seg': ('data/demo/seg/images/validation/ADE_validation_00000000.jpg',
            None),
    'pose': ('data/demo/pose/val2017/000000000001.jpg', None),
    'action': ('data/demo/action/videos_val/growing_val_0000.mp4', None),
}


def _predicted_names(task, result):
    if task in ('cls', 'action'):
        return [t['name'] for t in result['top']]
    if task == 'det':
        return result['names']
    if task == 'seg':
        return list(result['classes'])
    return [n for p in result['people'] for n in p['keypoints']]


@pytest.mark.parametrize('task', TASKS)
def test_infer_draws_and_names_the_classes(task, demo_dir, trained):
    """tools/infer.py runs the toolbox's inferencer on the trained demo
    checkpoint: a drawing is written and predictions carry the names of
    the checkpoint's dataset_meta (pose: its keypoint names)."""
    _, ckpt = trained(task)
    path, expected_top1 = INFER_INPUTS[task]
    out_dir = osp.join(demo_dir, 'work_dirs', f'{task}_infer')
    code, out = run([PY, osp.join(TOOLS, 'infer.py'), demo_config(task), ckpt,
                     path, '--out-dir', out_dir, '--device', 'cpu',
                     '--score-thr', '0.05'], demo_dir)
    assert code == 0, out[-3000:]
    with open(osp.join(out_dir, 'predictions.json')) as f:
        result = json.load(f)[path]
    meta = load_checkpoint_file(ckpt)['meta']['dataset_meta']
    names = meta['classes'] if task != 'pose' else list(
        meta['keypoint_id2name'].values())
    predicted = _predicted_names(task, result)
    assert predicted and set(predicted) <= set(names), (predicted, names)
    if expected_top1:  # a short demo training: the true class in its top 2
        assert expected_top1 in predicted[:2], result
    drawn = [p for p in glob.glob(osp.join(out_dir, '**', '*'),
                                  recursive=True)
             if p.endswith(('.png', '.jpg', '.mp4'))]
    assert drawn, f'nothing drawn in {out_dir}'


def _mim():
    mim = osp.join(osp.dirname(PY), 'mim')
    if not osp.isfile(mim):
        pytest.fail(f'mim not found next to {PY}: run tools/install.sh')
    return mim


def test_mim_train_and_run_cls(demo_dir):
    """``mim train`` (the toolbox's own train script) trains a demo config
    with its hooks, and ``mim run mmpretrain`` runs a toolbox tool on it."""
    work_dir = osp.join(demo_dir, 'work_dirs', 'cls_mim')
    code, out = run([
        _mim(), 'train', 'mmpretrain',
        demo_config('cls'), '--work-dir', work_dir, '--cfg-options',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1'
    ], demo_dir)
    assert code == 0, out[-3000:]
    assert 'PretrainedHook' in out  # our hook runs under mim too
    assert osp.isfile(osp.join(work_dir, 'epoch_1.pth')), out[-3000:]
    code, out = run([
        _mim(), 'run', 'mmpretrain', 'get_flops',
        demo_config('cls'), '--shape', '64'
    ], demo_dir)
    assert code == 0, out[-3000:]
    assert 'Flops' in out, out[-3000:]


def test_mim_train_and_tools_train_build_the_same_runner(demo_dir):
    """``mim train`` (mmpretrain's own script, which builds the config's
    ``runner_type``) and tools/train.py run uniformer_mm.Runner alike: with
    --amp on a machine without a GPU both stop with the same message, and
    with ``cpu_amp=bf16`` both log the same choice."""
    import torch
    if torch.cuda.is_available():
        pytest.skip('the CPU AMP choice')
    outputs = {}
    for name, command in (('tools', [PY, osp.join(TOOLS, 'train.py')]),
                          ('mim', [_mim(), 'train', 'mmpretrain'])):
        code, out = run(command + [
            demo_config('cls'), '--amp', '--work-dir',
            osp.join(demo_dir, 'work_dirs', f'cls_amp_{name}')
        ], demo_dir)
        assert code != 0, out[-3000:]
        outputs[name] = out
    expected = ("optim_wrapper.type='AmpOptimWrapper' (--amp) needs a CUDA GPU"
                ' and this machine has none')
    assert expected in outputs['tools'] and expected in outputs['mim']
    assert 'Traceback' not in outputs['tools']  # tools/: the message only
    for name, command in (('tools', [PY, osp.join(TOOLS, 'train.py')]),
                          ('mim', [_mim(), 'train', 'mmpretrain'])):
        code, out = run(command + [
            demo_config('cls'), '--amp', '--work-dir',
            osp.join(demo_dir, 'work_dirs', f'cls_bf16_{name}'),
            '--cfg-options', 'cpu_amp=bf16', 'train_cfg.max_epochs=1',
            'train_cfg.val_interval=1'
        ], demo_dir)
        assert code == 0, out[-3000:]
        assert 'uniformer_mm.Runner: AmpOptimWrapper needs a CUDA GPU; none ' \
            'here and cpu_amp=bf16' in out, out[-3000:]
        assert 'backbone in torch.bfloat16 autocast' in out, out[-3000:]


def test_missing_pretrained_stops_train_and_mim_train(demo_dir):
    """A run whose pretrained file is missing stops before training, in
    tools/train.py (before anything is built) and in mim train (the
    toolbox's own tool, through the config's PretrainedHook)."""
    child = osp.join(demo_dir, 'det_pretrained.py')
    with open(child, 'w') as f:
        f.write(f"_base_ = '{demo_config('det')}'\n"
                "pretrained = 'checkpoints/uniformer_xxs_224_in1k.pth'\n"
                "model = dict(backbone=dict(init_cfg=dict(\n"
                "    _delete_=True, type='Pretrained')))\n")
    start = time.time()
    code, out = run([PY, osp.join(TOOLS, 'train.py'), child], demo_dir)
    assert code == 2 and 'Traceback' not in out, out[-3000:]
    assert time.time() - start < 60  # no data or model was built
    expected = ("pretrained backbone checkpoint "
                "'checkpoints/uniformer_xxs_224_in1k.pth' not found")
    for text in (expected, 'image classification model zoo',
                 'model.backbone.init_cfg=None'):
        assert text in out, out[-3000:]
    code, out = run([_mim(), 'train', 'mmdet', child, '--work-dir',
                     osp.join(demo_dir, 'work_dirs', 'det_pretrained')],
                    demo_dir)
    assert code != 0 and expected in out, out[-3000:]
    assert 'Epoch(train)' not in out  # stopped before the first iteration


def test_tools_test_and_mim_test_draw_the_same_clips(demo_dir, trained):
    """The clip drawing is a config hook: tools/test.py --show-dir and
    mmaction2's own test script (mim test --show-dir) draw the same files
    and report the same metric."""
    _, ckpt = trained('action')
    results = []
    for name, args in (
            ('tools', [PY, osp.join(TOOLS, 'test.py'), demo_config('action'),
                       ckpt]),
            ('mim', [_mim(), 'test', 'mmaction2', demo_config('action'),
                     '--checkpoint', ckpt])):
        show_dir = osp.join(demo_dir, 'work_dirs', f'action_vis_{name}')
        work_dir = osp.join(demo_dir, 'work_dirs', f'action_test_{name}')
        code, out = run(args + ['--show-dir', show_dir, '--work-dir',
                                work_dir], demo_dir)
        assert code == 0, out[-3000:]
        drawn = sorted(osp.relpath(p, show_dir) for p in glob.glob(
            osp.join(show_dir, '**', '*.png'), recursive=True))
        results.append((drawn, read_test_metrics(work_dir)['acc/top1']))
    assert results[0][0], 'nothing drawn'
    assert results[0] == results[1]


def test_crafted_checkpoints_run_nothing_through_the_tools(
        demo_dir, trained, tmp_path):
    """A trained demo checkpoint with the getattr payload spliced in:
    every tool, ours and the toolbox's own, refuses it naming the file."""
    _, ckpt = trained('cls')
    marker = tmp_path / 'MARKER'
    crafted = save_with_payload(load_checkpoint_file(ckpt),
                                str(tmp_path / 'crafted.pth'),
                                'getattr_module_dict', str(marker))
    work_dir = osp.join(demo_dir, 'work_dirs', 'crafted')
    cases = {
        'train --resume': [PY, osp.join(TOOLS, 'train.py'), demo_config('cls'),
                           '--resume', crafted, '--work-dir', work_dir],
        'test': [PY, osp.join(TOOLS, 'test.py'), demo_config('cls'), crafted,
                 '--work-dir', work_dir],
        'mim test': [_mim(), 'test', 'mmpretrain', demo_config('cls'),
                     '--checkpoint', crafted, '--work-dir', work_dir],
        'converter': [PY, osp.join(TOOLS, 'model_converters',
                                   'uniformer_to_mm.py'), crafted,
                      str(tmp_path / 'out.pth'), '--task', 'cls'],
        'pytorch2onnx': [PY, osp.join(TOOLS, 'deployment', 'pytorch2onnx.py'),
                         demo_config('cls'), crafted, '--output-file',
                         str(tmp_path / 'x.onnx')],
    }
    for name, args in cases.items():
        code, out = run(args, demo_dir)
        assert code != 0, (name, out[-2000:])
        assert 'refused to load' in out and crafted in out, \
            (name, out[-2000:])
        assert not marker.exists(), name


def test_resume_never_executes_meta_config(demo_dir, trained, tmp_path):
    """``--resume`` of a checkpoint whose ``meta['config']`` is code: the
    code is not run, the run resumes with the user's config."""
    _, ckpt = trained('cls')
    marker = tmp_path / 'MARKER'
    genuine = load_checkpoint_file(ckpt)
    crafted = save_with_config_code(genuine, str(tmp_path / 'cfg.pth'),
                                    str(marker))
    epoch = genuine['meta']['epoch']
    code, out = run([
        PY, osp.join(TOOLS, 'train.py'), demo_config('cls'), '--resume',
        crafted, '--no-validate', '--work-dir',
        osp.join(demo_dir, 'work_dirs', 'cls_cfg_resume'), '--cfg-options',
        f'train_cfg.max_epochs={epoch}'
    ], demo_dir)
    assert code == 0, out[-3000:]
    assert f'resumed epoch: {epoch}' in out and "ignored its meta['config']" \
        in out, out[-3000:]
    assert not marker.exists()


def test_train_sh_starts_from_weights_at_a_url(demo_dir, tmp_path):
    """``tools/train.sh CONFIG 2`` whose backbone weights are at a URL (a
    loopback server standing in for download.openmmlab.com): rank 0
    downloads them once, both ranks load them; a second run uses the
    cache."""
    import io

    import torch
    from loopback_server import LoopbackServer, hash_named
    from mmengine.config import Config

    from uniformer_mm.models import UniFormer
    arch = Config.fromfile(demo_config('det')).model.backbone.arch
    backbone = UniFormer(arch=arch, out_norm='BN')
    buffer = io.BytesIO()
    torch.save({'model': backbone.state_dict()}, buffer)
    data = buffer.getvalue()
    with LoopbackServer() as server:
        name = hash_named('uniformer_tiny_in1k_20991231', data)
        url = server.add(name, data)
        child = tmp_path / 'det_url.py'
        child.write_text(f"_base_ = '{demo_config('det')}'\n"
                         'model = dict(backbone=dict(init_cfg=dict('
                         "_delete_=True, type='Pretrained', "
                         f"checkpoint='{url}')))\n")
        env = dict(TORCH_HOME=str(tmp_path / 'torch_home'))
        options = ['--no-validate', '--cfg-options', 'train_cfg.max_epochs=1',
                   'train_dataloader.dataset.indices=4']
        code, out = run(['bash', osp.join(TOOLS, 'train.sh'), str(child), '2',
                         '--work-dir', str(tmp_path / 'dist'), *options],
                        demo_dir, env=dict(env, PORT=free_port()))
        assert code == 0, out[-3000:]
        assert f'loaded the backbone weights of {url}' in out, out[-3000:]
        assert server.gets[f'/{name}'] == 1
        code, out = run([PY, osp.join(TOOLS, 'train.py'), str(child),
                         '--work-dir', str(tmp_path / 'again'), *options],
                        demo_dir, env=env)
        assert code == 0, out[-3000:]
        assert server.gets[f'/{name}'] == 1  # from the cache
