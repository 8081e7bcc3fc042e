"""Make MMDeploy 1.3.1 work on torch 2.14 (applied by :func:`apply`).

MMDeploy 1.3.1 was written for torch <= 2.1 and the TorchScript ONNX
exporter. On torch 2.14 three things break, each repaired here without
editing the installed package:

1. ``torch.onnx.export`` defaults to the dynamo exporter, so MMDeploy's
   function rewrites and symbolics (made for the TorchScript exporter) are
   traced by dynamo instead: mmcv's RoIAlign / NMS kernels stop it, and the
   down-conversion to opset 11 fails. A rewrite of ``torch.onnx.export``
   (active only inside MMDeploy's export) picks the exporter per deploy
   config: ``onnx_config = dict(dynamo=False, ...)`` (the default when the key
   is absent) is the TorchScript exporter, ``dynamo=True`` the dynamo one.
   Without ``opset_version`` they get the opset that works: 17 (TorchScript:
   LayerNormalization) and 18 (dynamo: no down-conversion).
2. MMDeploy's RoIAlign symbolic imports ``_cast_Long`` from
   ``torch.onnx.symbolic_opset9``; torch 2.14 dropped it: added back.
3. MMDeploy hooks ``torch.onnx.utils._model_to_graph`` (its opset-13
   Squeeze/Unsqueeze repair and custom passes); torch 2.14's
   ``torch.onnx.utils`` is a re-export, the exporter calls
   ``torch.onnx._internal.torchscript_exporter.utils._model_to_graph``: the
   same rewrite is registered on that name.
"""
import importlib

import torch

TORCHSCRIPT_EXPORTER = 'torch.onnx._internal.torchscript_exporter'
DEFAULT_OPSET = {False: 17, True: 18}

_applied = False


def _cast_long(g, input, non_blocking):  # noqa: A002 (torch's signature)
    """``torch.onnx.symbolic_opset9._cast_Long`` of torch < 2.2."""
    return g.op('Cast', input, to_i=torch.onnx.TensorProtoDataType.INT64)


def _restore_cast_long() -> None:
    for name in ('torch.onnx.symbolic_opset9',
                 f'{TORCHSCRIPT_EXPORTER}.symbolic_opset9'):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if not hasattr(module, '_cast_Long'):
            module._cast_Long = _cast_long


def onnx_export_kwargs(onnx_config: dict) -> dict:
    """The ``torch.onnx.export`` arguments that a deploy config's
    ``onnx_config`` adds to MMDeploy's call: the exporter (``dynamo``)."""
    return dict(dynamo=bool(onnx_config.get('dynamo', False)))


def _dynamic_shapes(model, dynamic_axes: dict, input_names) -> tuple:
    """``dynamic_axes`` of the inputs as the dynamo exporter's
    ``dynamic_shapes``. MMDeploy exports ``forward(*args, **metas)`` (a
    wrapper binding the data samples), whose positional inputs are one
    tuple for torch.export. ``Dim.AUTO``: a size the model's code fixes
    (a batch traced as 1, an image size the rewrites read) stays static
    instead of failing the export."""
    import inspect
    dynamic = torch.export.Dim.AUTO
    shapes = tuple({int(axis): dynamic
                    for axis in dynamic_axes.get(name, {})}
                   for name in input_names)
    params = list(inspect.signature(model.forward).parameters.values())
    if params and params[0].kind is inspect.Parameter.VAR_POSITIONAL:
        return (shapes, )
    return shapes


def _register_rewrites() -> None:
    from mmdeploy.apis.onnx import optimizer
    from mmdeploy.core import FUNCTION_REWRITER

    target = f'{TORCHSCRIPT_EXPORTER}.utils._model_to_graph'
    if importlib.util.find_spec(f'{TORCHSCRIPT_EXPORTER}.utils') is not None:
        FUNCTION_REWRITER.register_rewriter(target)(
            optimizer.model_to_graph__custom_optimizer)

    @FUNCTION_REWRITER.register_rewriter('torch.onnx.export')
    def onnx_export__exporter_per_deploy_config(*args, **kwargs):
        """Call ``torch.onnx.export`` with the exporter that the deploy
        config's ``onnx_config`` names (TorchScript unless ``dynamo=True``).
        """
        ctx = FUNCTION_REWRITER.get_context()
        # The deploy config's onnx_config: MMDeploy's export() adds an
        # ir_config of its own (without our key) that get_ir_config prefers.
        extra = onnx_export_kwargs(ctx.cfg.get('onnx_config', {}))
        keep = kwargs.get('keep_initializers_as_inputs')
        if extra['dynamo'] or keep is None:
            # The dynamo exporter has no such option (it keeps initializers
            # out of the inputs); None is not a bool for the TorchScript one.
            kwargs.pop('keep_initializers_as_inputs', None)
        if extra['dynamo'] and kwargs.get('dynamic_axes'):
            kwargs['dynamic_shapes'] = _dynamic_shapes(
                args[0] if args else kwargs['model'],
                kwargs.pop('dynamic_axes'), kwargs.get('input_names') or [])
        return ctx.origin_func(*args, **kwargs, **extra)


def apply() -> None:
    """Apply the repairs (idempotent). Needs ``mmdeploy`` importable."""
    global _applied
    if _applied:
        return
    _restore_cast_long()
    _register_rewrites()
    _applied = True
