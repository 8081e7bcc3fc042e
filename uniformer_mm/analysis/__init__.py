"""Model analysis shared by the tools: FLOPs (``get_flops.py``), memory
under sharding (``sharding_memory.py``) and the model building of both
(also ``deployment/pytorch2onnx.py``)."""
from .flops import FeaturePath, count_flops, get_flops, sdpa_flop_jit
from .model import build_model, input_shape
from .sharding import activation_bytes, model_states

__all__ = [
    'build_model', 'input_shape', 'FeaturePath', 'count_flops', 'get_flops',
    'sdpa_flop_jit', 'activation_bytes', 'model_states'
]
