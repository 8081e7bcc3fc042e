# mmpose top-down estimator -> ONNX Runtime, dynamic batch (the crop size is
# the codec's input_size).
_base_ = ['./pose-detection_onnxruntime_static.py']
onnx_config = dict(
    dynamic_axes=dict(input=dict({0: 'batch'}), output=dict({0: 'batch'})))
