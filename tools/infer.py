"""Run a trained or converted checkpoint on images or videos and draw it.

The config's ``default_scope`` picks the toolbox's own inferencer:
``ImageClassificationInferencer`` (mmpretrain), ``DetInferencer`` (mmdet),
``MMSegInferencer`` (mmseg), ``MMPoseInferencer`` (mmpose, top-down; the
person boxes come from ``--det-config``/``--det-checkpoint`` or, by
default, the whole image) or ``MMAction2Inferencer`` (mmaction2). Class
names come from the checkpoint's ``meta['dataset_meta']`` (written by the
Runner and by ``tools/model_converters/uniformer_to_mm.py``).

Examples::

    python tools/infer.py configs/demo/det_demo.py CKPT demo.jpg --out-dir out
    python tools/infer.py configs/action/uniformer_s_8x8_k400.py CKPT \\
        clip.mp4 --out-dir out

The drawn results go to ``--out-dir`` (``vis/`` or the toolbox's folder;
videos as drawn PNG frames) and every prediction, with class names, to
``OUT_DIR/predictions.json``.
"""
import argparse
import json
import os
import os.path as osp

import numpy as np
import torch

from uniformer_mm.engine.runner import use_matplotlib_for_mmpose
from uniformer_mm.utils.cli import add_cfg_options, load_config, run_tool
from uniformer_mm.utils.errors import FixableError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='model config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('inputs', nargs='+', help='image or video files')
    parser.add_argument('--out-dir', required=True,
                        help='folder for the drawn results and '
                        'predictions.json')
    parser.add_argument('--device', default=None,
                        help='cpu, cuda, cuda:1 ... (default: cuda if '
                        'available, else cpu)')
    parser.add_argument('--topk', type=int, default=5,
                        help='classes listed per input (cls, action)')
    parser.add_argument('--score-thr', type=float, default=0.3,
                        help='det: smallest score listed and drawn')
    add_cfg_options(parser, 'model.test_cfg.rcnn.score_thr=0.01')
    parser.add_argument('--det-config', help='pose: person detector config')
    parser.add_argument('--det-checkpoint',
                        help='pose: person detector checkpoint')
    return parser.parse_args(argv)


def checkpoint_classes(path):
    """``meta['dataset_meta']['classes']`` of a checkpoint, or None."""
    from uniformer_mm.weights import load_checkpoint_file
    meta = load_checkpoint_file(path).get('meta') or {}
    return (meta.get('dataset_meta') or {}).get('classes')


def _names(classes, labels):
    return [classes[i] if classes else str(i) for i in labels]


def _topk(scores, classes, k):
    scores = np.asarray(scores)
    order = np.argsort(-scores)[:k]
    return [dict(label=int(i), name=_names(classes, [i])[0],
                 score=float(scores[i])) for i in order]


def infer_cls(cfg, args):
    from mmpretrain.apis import ImageClassificationInferencer
    inferencer = ImageClassificationInferencer(
        cfg, pretrained=args.checkpoint, device=args.device)
    classes = inferencer.model._dataset_meta.get('classes')
    show_dir = osp.join(args.out_dir, 'vis')
    os.makedirs(show_dir, exist_ok=True)  # mmpretrain makes no parents
    results = inferencer(args.inputs, show_dir=show_dir)
    return [dict(top=_topk(r['pred_scores'], classes, args.topk))
            for r in results]


def infer_det(cfg, args):
    from mmdet.apis import DetInferencer
    inferencer = DetInferencer(cfg, args.checkpoint, device=args.device)
    classes = inferencer.model.dataset_meta.get('classes')
    out = inferencer(args.inputs, out_dir=args.out_dir,
                     pred_score_thr=args.score_thr)
    results = []
    for pred in out['predictions']:
        keep = [i for i, s in enumerate(pred['scores'])
                if s >= args.score_thr]
        labels = [pred['labels'][i] for i in keep]
        results.append(dict(
            labels=labels, names=_names(classes, labels),
            scores=[pred['scores'][i] for i in keep],
            bboxes=[pred['bboxes'][i] for i in keep]))
    return results


def infer_seg(cfg, args):
    from mmseg.apis import MMSegInferencer
    inferencer = MMSegInferencer(cfg, args.checkpoint, device=args.device)
    classes = inferencer.model.dataset_meta.get('classes')
    out = inferencer(args.inputs, out_dir=args.out_dir)
    maps = out['predictions']
    maps = maps if isinstance(maps, list) else [maps]
    results = []
    for label_map in maps:
        labels, counts = np.unique(np.asarray(label_map), return_counts=True)
        results.append(dict(
            classes=dict(zip(_names(classes, labels.tolist()),
                             (counts / counts.sum()).round(4).tolist()))))
    return results


def infer_pose(cfg, args):
    from mmpose.apis import MMPoseInferencer
    inferencer = MMPoseInferencer(
        pose2d=cfg, pose2d_weights=args.checkpoint,
        det_model=args.det_config or 'whole_image',
        det_weights=args.det_checkpoint, device=args.device)
    meta = inferencer.inferencer.model.dataset_meta
    names = [meta['keypoint_id2name'][i] for i in range(meta['num_keypoints'])]
    results = []
    for out in inferencer(args.inputs, out_dir=args.out_dir):
        for people in out['predictions']:
            results.append(dict(people=[
                dict(keypoints=dict(zip(names, p['keypoints'])),
                     scores=dict(zip(names, p['keypoint_scores'])))
                for p in people]))
    return results


def infer_action(cfg, args):
    from mmaction.apis.inferencers import MMAction2Inferencer
    classes = checkpoint_classes(args.checkpoint)
    label_file = None
    if classes:  # mmaction2's inferencer reads names from a label file
        label_file = osp.join(args.out_dir, 'label_map.txt')
        with open(label_file, 'w') as f:
            f.write('\n'.join(classes) + '\n')
    inferencer = MMAction2Inferencer(
        rec=cfg, rec_weights=args.checkpoint, label_file=label_file,
        device=args.device)
    # Drawn frames as PNGs: 'video'/'gif' need moviepy<2 (moviepy.editor).
    out = inferencer(args.inputs, vid_out_dir=osp.join(args.out_dir, 'vis'),
                     out_type='img')
    return [dict(top=_topk(p['rec_scores'][0], classes, args.topk))
            for p in out['predictions']]


INFER = {
    'mmpretrain': infer_cls,
    'mmdet': infer_det,
    'mmseg': infer_seg,
    'mmpose': infer_pose,
    'mmaction': infer_action,
}


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    scope = (cfg.get('default_scope') or '').split('.')[0]
    if scope not in INFER:
        raise FixableError(f'default_scope {scope!r} of {args.config}: no '
                           f'inferencer; known: {sorted(INFER)}')
    for path in [args.checkpoint, *args.inputs]:
        if not osp.isfile(path):
            raise FixableError(f'{path!r} does not exist')
    use_matplotlib_for_mmpose(cfg)
    args.device = args.device or ('cuda' if torch.cuda.is_available()
                                  else 'cpu')
    os.makedirs(args.out_dir, exist_ok=True)
    results = INFER[scope](cfg, args)
    out_file = osp.join(args.out_dir, 'predictions.json')
    with open(out_file, 'w') as f:
        json.dump(dict(zip(args.inputs, results)), f, indent=1, default=float)
    for path, result in zip(args.inputs, results):
        print(f'{path}: {json.dumps(result, default=float)[:300]}')
    print(f'drawn results and {out_file} written to {args.out_dir}')


if __name__ == '__main__':
    run_tool(main)
