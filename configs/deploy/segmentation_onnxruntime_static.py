# mmseg segmentor -> ONNX Runtime; the graph ends with the argmax (labels).
_base_ = ['./_base_/onnx_config.py', './_base_/onnxruntime.py']
codebase_config = dict(type='mmseg', task='Segmentation', with_argmax=True)
