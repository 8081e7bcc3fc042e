# mmpretrain classifier -> ONNX Runtime, input shape from the test pipeline.
_base_ = ['./_base_/onnx_config.py', './_base_/onnxruntime.py']
codebase_config = dict(type='mmpretrain', task='Classification')
