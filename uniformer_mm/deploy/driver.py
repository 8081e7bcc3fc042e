"""Export a model with MMDeploy, run it in ONNX Runtime, compare to PyTorch.

:func:`deploy` is what ``tools/deployment/deploy.py`` calls: MMDeploy's
Python API (``mmdeploy.apis.torch2onnx``, ``build_task_processor(...)
.build_backend_model``) exports the model and wraps the ONNX file as a model
of the toolbox; both models then run ``test_step`` on the same data and
:func:`compare` measures the differences of their predictions, per task.
"""
import copy
import os
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from . import import_mmdeploy
from .mmdeploy_compat import DEFAULT_OPSET

# What each codebase's comparison reports first, and its default tolerance.
PRIMARY = {
    'mmpretrain': ('scores', 1e-4),
    'mmseg': ('label_mismatch', 1e-4),
    'mmpose': ('keypoints', 1e-4),
    'mmaction': ('scores', 1e-4),
    'mmdet': ('boxes', 1e-3),
}


@dataclass
class DeployResult:
    """What :func:`deploy` measured.

    Attributes:
        onnx_file: The exported model.
        codebase: ``mmpretrain``, ``mmdet``, ``mmseg``, ``mmpose`` or
            ``mmaction``.
        diffs: Named largest differences between ONNX Runtime and PyTorch
            over all compared samples (see :func:`compare`).
        primary: The key of ``diffs`` that :attr:`max_diff` reports.
        tolerance: The bound :attr:`ok` checks :attr:`max_diff` against.
        num_samples: How many samples were compared.
        metrics: ``{'pytorch': {...}, 'onnxruntime': {...}}`` when
            ``evaluate`` was asked for.
    """
    onnx_file: str
    codebase: str
    diffs: Dict[str, float]
    primary: str
    tolerance: float
    num_samples: int
    metrics: Optional[Dict[str, dict]] = None

    @property
    def max_diff(self) -> float:
        return self.diffs[self.primary]

    @property
    def ok(self) -> bool:
        """The primary difference within the tolerance, the same labels
        and number of detections, mask IoU above 0.99."""
        return (self.max_diff <= self.tolerance
                and self.diffs.get('label_mismatch_count', 0) == 0
                and self.diffs.get('count_mismatch', 0) == 0
                and self.diffs.get('mask_iou_gap', 0) < 0.01)


def load_configs(deploy_cfg, model_cfg):
    """MMDeploy's ``load_config`` plus the project's defaults: an opset that
    works for the chosen exporter, and the model config's ``test_pipeline``
    taken from its test dataloader when that one differs (MMDeploy builds
    its inputs from ``test_pipeline``, the toolboxes test with the
    dataloader's pipeline)."""
    import_mmdeploy()
    from mmdeploy.utils import load_config
    deploy_cfg, model_cfg = load_config(deploy_cfg, model_cfg)
    onnx_config = deploy_cfg.onnx_config
    if 'opset_version' not in onnx_config:
        onnx_config.opset_version = DEFAULT_OPSET[bool(
            onnx_config.get('dynamo', False))]
    pipeline = model_cfg.get('test_dataloader', {}).get('dataset', {}).get(
        'pipeline')
    if pipeline is not None and model_cfg.get('test_pipeline') != pipeline:
        model_cfg.test_pipeline = copy.deepcopy(pipeline)
    return deploy_cfg, model_cfg


def export(deploy_cfg, model_cfg, checkpoint: Optional[str], work_dir: str,
           image, device: str = 'cpu') -> str:
    """``mmdeploy.apis.torch2onnx``; returns the ONNX file."""
    import_mmdeploy()
    from mmdeploy.apis import torch2onnx
    save_file = deploy_cfg.onnx_config.get('save_file', 'end2end.onnx')
    torch2onnx(image, work_dir, save_file, deploy_cfg, model_cfg,
               checkpoint, device)
    return osp.join(work_dir, save_file)


def _dataset_samples(task_processor, model_cfg, num_samples):
    """The first test samples, and the file of the first one."""
    dataset = task_processor.build_dataset(model_cfg.test_dataloader.dataset)
    samples = [dataset[i] for i in range(min(num_samples, len(dataset)))]
    info = dataset.get_data_info(0)
    for key in ('img_path', 'filename'):
        if info.get(key):
            return samples, info[key]
    raise ValueError('the first test sample names no file: pass test_inputs')


def _dynamic_batch(onnx_file: str) -> bool:
    """Whether the exported graph's first input has a symbolic batch."""
    import onnx
    graph_input = onnx.load(onnx_file, load_external_data=False).graph.input[0]
    return not graph_input.type.tensor_type.shape.dim[0].HasField('dim_value')


def _to_numpy(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().float().numpy()
    return np.asarray(x, dtype=np.float64)


def _max_abs(a, b) -> float:
    a, b = _to_numpy(a), _to_numpy(b)
    if a.shape != b.shape:
        return float('inf')
    return float(np.abs(a - b).max()) if a.size else 0.0


def _mask_iou(a, b) -> float:
    a, b = _to_numpy(a) > 0.5, _to_numpy(b) > 0.5
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 1.0


def compare(codebase: str, expected, actual) -> Dict[str, float]:
    """Differences between one PyTorch and one ONNX Runtime prediction.

    - mmpretrain / mmaction: ``scores`` (max |diff| of the class scores),
      ``label_mismatch_count`` (top-1 labels that differ);
    - mmseg: ``label_mismatch`` (fraction of pixels whose label differs);
    - mmpose: ``keypoints`` (max |diff|, pixels of the input image) and
      ``keypoint_scores``;
    - mmdet: ``boxes`` (max |diff| of the boxes, pixels), ``scores``,
      ``label_mismatch_count``, ``count_mismatch`` (number of detections),
      ``mask_iou_min`` when both predict masks (reported as
      ``1 - IoU`` under ``mask_iou_gap``).
    """
    if codebase == 'mmpretrain':
        return dict(
            scores=_max_abs(expected.pred_score, actual.pred_score),
            label_mismatch_count=float(
                int(expected.pred_label.item()) !=
                int(_to_numpy(actual.pred_score).argmax())))
    if codebase == 'mmaction':
        e = getattr(expected, 'pred_score', None)
        if e is None:
            e = expected.pred_scores.item
        a = getattr(actual, 'pred_score', None)
        if a is None:
            a = actual.pred_scores.item
        return dict(
            scores=_max_abs(e, a),
            label_mismatch_count=float(
                int(_to_numpy(e).argmax()) != int(_to_numpy(a).argmax())))
    if codebase == 'mmseg':
        e = _to_numpy(expected.pred_sem_seg.data)
        a = _to_numpy(actual.pred_sem_seg.data)
        if e.shape != a.shape:
            return dict(label_mismatch=1.0)
        return dict(label_mismatch=float((e != a).mean()))
    if codebase == 'mmpose':
        e, a = expected.pred_instances, actual.pred_instances
        return dict(
            keypoints=_max_abs(e.keypoints, a.keypoints),
            keypoint_scores=_max_abs(e.keypoint_scores, a.keypoint_scores))
    if codebase == 'mmdet':
        e, a = expected.pred_instances, actual.pred_instances
        if len(e) != len(a):
            return dict(boxes=float('inf'), count_mismatch=float(
                abs(len(e) - len(a))))
        diffs = dict(
            boxes=_max_abs(e.bboxes, a.bboxes),
            scores=_max_abs(e.scores, a.scores),
            label_mismatch_count=float(
                (_to_numpy(e.labels) != _to_numpy(a.labels)).sum()),
            count_mismatch=0.0)
        if 'masks' in e and 'masks' in a:
            ious = [_mask_iou(me, ma) for me, ma in zip(e.masks, a.masks)]
            diffs['mask_iou_gap'] = 1 - min(ious, default=1.0)
        return diffs
    raise ValueError(f'no comparison for codebase {codebase!r}')


def _merge(total: Dict[str, float], diffs: Dict[str, float]) -> None:
    for key, value in diffs.items():
        if key.endswith('_count'):
            total[key] = total.get(key, 0.0) + value
        else:
            total[key] = max(total.get(key, 0.0), value)


def _test_step(model, data):
    with torch.no_grad():
        return model.test_step(copy.deepcopy(data))


def _mmaction_scores(samples) -> None:
    """MMDeploy 1.3.1 writes ``pred_scores`` (mmaction2 1.0/1.1),
    mmaction2 1.2's evaluator and visualiser read ``pred_score``."""
    for sample in samples:
        if 'pred_score' not in sample and 'pred_scores' in sample:
            sample.pred_score = sample.pred_scores.item


class MMAction12Model(torch.nn.Module):
    """Wraps MMDeploy's mmaction backend model so its predictions carry
    ``pred_score`` (see :func:`_mmaction_scores`)."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.data_preprocessor = model.data_preprocessor

    def test_step(self, data):
        results = self.model.test_step(data)
        _mmaction_scores(results)
        return results

    def forward(self, *args, **kwargs):
        results = self.model(*args, **kwargs)
        _mmaction_scores(results)
        return results


def build_models(deploy_cfg, model_cfg, checkpoint, onnx_file, device='cpu'):
    """``(task_processor, pytorch_model, onnxruntime_model)``."""
    import_mmdeploy()
    from mmdeploy.apis import build_task_processor
    from mmdeploy.utils import get_codebase
    task_processor = build_task_processor(model_cfg, deploy_cfg, device)
    torch_model = task_processor.build_pytorch_model(checkpoint).eval()
    backend_model = task_processor.build_backend_model(
        [onnx_file],
        data_preprocessor_updater=task_processor.update_data_preprocessor)
    if get_codebase(deploy_cfg).value == 'mmaction':
        backend_model = MMAction12Model(backend_model)
    return task_processor, torch_model, backend_model


def evaluate(task_processor, model, work_dir: str,
             batch_size: Optional[int] = None) -> dict:
    """The toolbox's evaluator on ``model`` over the config's test set
    (MMDeploy's ``build_test_runner``, as its ``tools/test.py``);
    ``batch_size`` overrides the test dataloader's (1 for a static graph)."""
    if batch_size is not None:
        task_processor.model_cfg.test_dataloader.batch_size = batch_size
    runner = task_processor.build_test_runner(
        model, work_dir, log_file=None, show=False, show_dir=None)
    return runner.test()


def deploy(deploy_cfg,
           model_cfg,
           checkpoint: Optional[str],
           work_dir: str,
           test_inputs: Optional[Sequence] = None,
           device: str = 'cpu',
           num_samples: int = 4,
           tolerance: Optional[float] = None,
           evaluate_metrics: bool = False) -> DeployResult:
    """Export with MMDeploy, build the ONNX Runtime model, compare.

    Args:
        deploy_cfg: Deploy config (``configs/deploy/*.py``) or Config.
        model_cfg: Model config or Config.
        checkpoint: The PyTorch checkpoint (None: initial weights, saved to
            ``work_dir/initial_weights.pth``).
        work_dir: Where the ONNX file (``end2end.onnx``) goes.
        test_inputs: Image / video files to export with and compare on;
            default: the first ``num_samples`` samples of the model config's
            test set (the export uses the first one's file).
        device: ``cpu`` (ONNX Runtime's CPU provider).
        tolerance: Bound on the primary difference (``PRIMARY``).
        evaluate_metrics: Also run the toolbox's evaluator over the whole
            test set with both models (``DeployResult.metrics``).
    """
    import_mmdeploy()
    from mmdeploy.utils import get_codebase, get_input_shape
    os.makedirs(work_dir, exist_ok=True)
    deploy_cfg, model_cfg = load_configs(deploy_cfg, model_cfg)
    codebase = get_codebase(deploy_cfg).value
    primary, default_tolerance = PRIMARY[codebase]

    from mmdeploy.apis import build_task_processor
    task_processor = build_task_processor(model_cfg, deploy_cfg, device)
    if test_inputs:
        batches = []
        for item in test_inputs:
            data, _ = task_processor.create_input(
                item, get_input_shape(deploy_cfg))
            batches.append(data)
        image = test_inputs[0]
    else:
        samples, image = _dataset_samples(task_processor, model_cfg,
                                          num_samples)

    if checkpoint is None:
        # Export and compare the same weights: each build initialises anew.
        from mmengine.runner import save_checkpoint
        checkpoint = osp.join(work_dir, 'initial_weights.pth')
        save_checkpoint({'state_dict': task_processor.build_pytorch_model(
            None).state_dict()}, checkpoint)
    onnx_file = export(deploy_cfg, model_cfg, checkpoint, work_dir, image,
                       device)
    if not test_inputs:
        from mmengine.dataset import pseudo_collate
        # Batches of two where the graph's batch is dynamic (mmdet: one).
        size = 2 if _dynamic_batch(onnx_file) and codebase != 'mmdet' else 1
        batches = [pseudo_collate(samples[i:i + size])
                   for i in range(0, len(samples), size)]
    task_processor, torch_model, backend_model = build_models(
        deploy_cfg, model_cfg, checkpoint, onnx_file, device)

    diffs: Dict[str, float] = {}
    for data in batches:
        expected = _test_step(torch_model, data)
        actual = _test_step(backend_model, data)
        for e, a in zip(expected, actual):
            _merge(diffs, compare(codebase, e, a))

    metrics = None
    if evaluate_metrics:
        batch_size = None if _dynamic_batch(onnx_file) else 1
        metrics = dict(
            pytorch=evaluate(task_processor, torch_model,
                             osp.join(work_dir, 'test_pytorch'), batch_size),
            onnxruntime=evaluate(task_processor, backend_model,
                                 osp.join(work_dir, 'test_onnxruntime'),
                                 batch_size))
    return DeployResult(
        onnx_file=onnx_file,
        codebase=codebase,
        diffs=diffs,
        primary=primary,
        tolerance=default_tolerance if tolerance is None else tolerance,
        num_samples=sum(len(b['inputs']) for b in batches),
        metrics=metrics)


__all__: List[str] = [
    'DeployResult', 'build_models', 'compare', 'deploy', 'evaluate',
    'export', 'load_configs'
]
