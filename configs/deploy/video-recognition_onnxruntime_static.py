# mmaction2 recognizer (3D, (N, clips x crops, C, T, H, W) inputs) -> ONNX
# Runtime: class scores averaged over each video's clips
# (uniformer_mm.deploy.mmaction_rewrites).
_base_ = ['./_base_/onnx_config.py', './_base_/onnxruntime.py']
codebase_config = dict(type='mmaction', task='VideoRecognition')
