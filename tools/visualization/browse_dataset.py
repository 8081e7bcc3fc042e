"""See a config's data pipeline: one PNG per sample, one row per transform.

    python tools/visualization/browse_dataset.py CONFIG --out-dir DIR \
        [--phase train] [-n 4] [--max-frames 8] [--height 128] [--seed 0]

Images and videos (classification, token labeling, action recognition):
each row is a transform's output (clips: up to ``--max-frames`` frames; the
token-labeling map with its crop box next to the image), so RandAugment,
``ClipRandAugment`` and the token-label transforms can be checked on real
samples, also under mmaction2's ``RepeatAugDataset`` (one row per repeat).
Logic: ``uniformer_mm/visualization/pipeline.py``.
"""
import argparse
import os
import os.path as osp


from uniformer_mm.utils.cli import add_cfg_options, load_config, run_tool
from uniformer_mm.utils.errors import FixableError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Browse a data pipeline')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--out-dir', required=True, help='folder for PNGs')
    parser.add_argument(
        '--phase',
        default='train',
        choices=['train', 'val', 'test'],
        help='whose dataloader to browse')
    parser.add_argument(
        '-n', '--show-number', type=int, default=4, help='samples to draw')
    parser.add_argument(
        '--max-frames', type=int, default=8, help='frames drawn per clip')
    parser.add_argument(
        '--height', type=int, default=128, help='pixels per row')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    add_cfg_options(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    import cv2
    from mmengine.registry import DATASETS, init_default_scope
    from mmengine.runner import set_random_seed

    from uniformer_mm.utils.checks import check_data
    from uniformer_mm.visualization.pipeline import browse, draw_steps
    cfg = load_config(args.config, args.cfg_options)
    loader = cfg.get(f'{args.phase}_dataloader')
    if not loader:
        raise FixableError(f'the config has no {args.phase}_dataloader; '
                           f'choose another --phase')
    check_data(cfg, [args.phase])
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    set_random_seed(args.seed)
    dataset = DATASETS.build(loader.dataset)
    count = min(args.show_number, len(dataset))
    samples = browse(dataset, range(count),
                     rgb=cfg.get('default_scope') == 'mmaction',
                     max_frames=args.max_frames)
    os.makedirs(args.out_dir, exist_ok=True)
    for sample in samples:
        stem = osp.splitext(osp.basename(sample.source or 'sample'))[0]
        path = osp.join(args.out_dir, f'{sample.index:04d}_{stem}.png')
        cv2.imwrite(path, draw_steps(sample, args.height))
        print(f'{path}: ' + ', '.join(s.name for s in sample.steps))


if __name__ == '__main__':
    run_tool(main)
