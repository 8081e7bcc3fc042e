# mmpose top-down estimator -> ONNX Runtime: heatmaps (with the model's flip
# test, uniformer_mm.deploy.mmpose_rewrites), decoded by the backend model.
_base_ = ['./_base_/onnx_config.py', './_base_/onnxruntime.py']
codebase_config = dict(type='mmpose', task='PoseDetection')
