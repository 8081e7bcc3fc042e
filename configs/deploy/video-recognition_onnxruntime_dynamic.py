# mmaction2 recognizer -> ONNX Runtime, dynamic batch, frames and size (the
# number of clips x crops per video stays the test pipeline's).
_base_ = ['./video-recognition_onnxruntime_static.py']
onnx_config = dict(
    dynamic_axes=dict(
        input=dict({0: 'batch', 3: 'time', 4: 'height', 5: 'width'}),
        output=dict({0: 'batch'})))
