"""Train and test a tiny UniFormer on every task, on CPU, in a few minutes.

For each of the five demo configs (``configs/demo/<task>_demo.py``) this
trains a few hundred iterations with ``tools/train.py``, tests the saved
checkpoint with ``tools/test.py`` (the toolbox's own metric, drawings in
``work_dirs/demo/<task>/vis``) and prints a summary table. The demo data is
generated first if it is missing. ``bash tools/demo.sh`` installs the
environment and then runs this script.

Usage::

    python tools/run_demo.py                      # all tasks
    python tools/run_demo.py --tasks det seg      # some of them
    python tools/run_demo.py --work-dir /tmp/demo --data-root /tmp/data

Run it from the repository root (the demo configs read ``data/demo/...``;
with ``--data-root`` the paths are overridden).
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys
import time

from uniformer_mm.utils.demo_data import TASKS, data_options, make_task

TOOLS = osp.dirname(osp.abspath(__file__))
REPO = osp.dirname(TOOLS)
# task -> (main metric key, its name in the table, chance level, other keys)
METRICS = {
    'cls': ('accuracy/top1', 'top-1 (%)', '25.0', ()),
    'det': ('coco/bbox_mAP', 'bbox mAP', '0.0', ('coco/segm_mAP', )),
    'seg': ('mIoU', 'mIoU (%)', '~10', ('aAcc', )),
    'pose': ('coco/AP', 'keypoint AP', '0.0', ('coco/AR', )),
    'action': ('acc/top1', 'top-1', '0.25', ()),
}


def config_of(task):
    return osp.join(REPO, 'configs', 'demo', f'{task}_demo.py')


def newest(pattern):
    paths = sorted(glob.glob(pattern), key=osp.getmtime)
    return paths[-1] if paths else None


def read_losses(work_dir):
    """Training losses logged in ``work_dir``'s newest ``scalars.json``."""
    path = newest(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    losses = []
    if path:
        with open(path) as f:
            for line in f:
                record = json.loads(line)
                if 'loss' in record:
                    losses.append(record['loss'])
    return losses


def read_test_metrics(work_dir):
    """Metrics of the newest test run in ``work_dir`` (MMEngine's json)."""
    path = newest(osp.join(work_dir, '*', '*.json'))
    if not path:
        return {}
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return lines[-1] if lines else {}


def run(cmd, log_file, env):
    with open(log_file, 'w') as log:
        log.write(' '.join(cmd) + '\n\n')
        log.flush()
        proc = subprocess.run(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=os.getcwd())
    return proc.returncode


def tail(path, n=15):
    with open(path, errors='replace') as f:
        return ''.join(f.readlines()[-n:])


def run_task(task, args, env):
    work_dir = osp.join(args.work_dir, task)
    os.makedirs(work_dir, exist_ok=True)
    cfg = config_of(task)
    opts = data_options(task, args.data_root) if args.data_root else []
    # a fixed seed: the same numbers on every run of the demo
    cfg_options = ['--cfg-options', f'randomness.seed={args.seed}', *opts]
    result = dict(task=task, config=osp.relpath(cfg, REPO), ok=False)
    for old in glob.glob(osp.join(work_dir, '*.pth')) + glob.glob(
            osp.join(work_dir, 'last_checkpoint')):
        os.remove(old)  # a fresh run, not a resumed one

    print(f'[demo] {task:6s} training ...', flush=True)
    t0 = time.time()
    train_log = osp.join(work_dir, 'train.log')
    code = run([
        sys.executable,
        osp.join(TOOLS, 'train.py'), cfg, '--work-dir', work_dir,
        '--no-validate', *cfg_options
    ], train_log, env)
    result['train_s'] = time.time() - t0
    losses = read_losses(work_dir)
    if losses:
        result['loss'] = (losses[0], losses[-1])
    ckpt_pointer = osp.join(work_dir, 'last_checkpoint')
    if code != 0 or not osp.isfile(ckpt_pointer):
        print(
            f'[demo] {task:6s} training FAILED (exit {code}); last lines '
            f'of {train_log}:\n{tail(train_log)}',
            flush=True)
        return result
    with open(ckpt_pointer) as f:
        ckpt = f.read().strip()
    result['checkpoint'] = ckpt

    print(f'[demo] {task:6s} testing {osp.relpath(ckpt)} ...', flush=True)
    t0 = time.time()
    test_dir = osp.join(work_dir, 'test')
    test_log = osp.join(work_dir, 'test.log')
    code = run([
        sys.executable,
        osp.join(TOOLS, 'test.py'), cfg, ckpt, '--work-dir', test_dir,
        '--show-dir',
        osp.join(work_dir, 'vis'), *cfg_options
    ], test_log, env)
    result['test_s'] = time.time() - t0
    if code != 0:
        print(
            f'[demo] {task:6s} testing FAILED (exit {code}); last lines of '
            f'{test_log}:\n{tail(test_log)}',
            flush=True)
        return result
    result['metrics'] = read_test_metrics(test_dir)
    result['ok'] = METRICS[task][0] in result['metrics']
    return result


def fmt_metric(task, metrics):
    key, _, _, extra = METRICS[task]
    if key not in metrics:
        return 'n/a'
    text = f'{metrics[key]:.3g}'
    for k in extra:
        if k in metrics:
            text += f' ({k.split("/")[-1]} {metrics[k]:.3g})'
    return text


def summary(results, total):
    header = ('task', 'config', 'metric', 'value', 'chance',
              'loss first->last', 'train', 'test')
    rows = []
    for r in results:
        loss = r.get('loss')
        rows.append(
            (r['task'], r['config'], METRICS[r['task']][1],
             fmt_metric(r['task'], r.get('metrics', {}))
             if r['ok'] else 'FAILED', METRICS[r['task']][2],
             f'{loss[0]:.3g} -> {loss[1]:.3g}' if loss else '-',
             f'{r.get("train_s", 0):.0f}s', f'{r.get("test_s", 0):.0f}s'))
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = '+'.join('-' * (w + 2) for w in widths)
    out = ['', f'+{line}+']
    out.append('| ' + ' | '.join(h.ljust(w)
                                 for h, w in zip(header, widths)) + ' |')
    out.append(f'+{line}+')
    for row in rows:
        out.append('| ' +
                   ' | '.join(str(c).ljust(w)
                              for c, w in zip(row, widths)) + ' |')
    out.append(f'+{line}+')
    out.append(f'total {total:.0f}s; logs, checkpoints and drawings in '
               'the work dir of each task')
    return '\n'.join(out)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--tasks', nargs='+', choices=TASKS, default=TASKS)
    parser.add_argument(
        '--work-dir', default='work_dirs/demo', help='default: work_dirs/demo')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='random seed of the training runs (default: 0)')
    parser.add_argument(
        '--data-root',
        help='folder of the demo data (default: data/demo, as in the '
        'configs); generated there if missing')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    start = time.time()
    data_root = args.data_root or 'data/demo'
    for task in args.tasks:
        if make_task(data_root, task):
            print(
                f'[demo] {task:6s} data written to '
                f'{osp.join(data_root, task)}',
                flush=True)
    env = dict(os.environ)
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    env.setdefault('PYTHONWARNINGS', 'ignore')
    results = []
    for task in args.tasks:
        r = run_task(task, args, env)
        results.append(r)
        if r['ok']:
            print(
                f'[demo] {task:6s} {METRICS[task][1]} = '
                f'{fmt_metric(task, r["metrics"])}  (train '
                f'{r["train_s"]:.0f}s, test {r["test_s"]:.0f}s)',
                flush=True)
    print(summary(results, time.time() - start), flush=True)
    with open(osp.join(args.work_dir, 'summary.json'), 'w') as f:
        json.dump(results, f, indent=1)
    return 0 if all(r['ok'] for r in results) else 1


if __name__ == '__main__':
    sys.exit(main())
