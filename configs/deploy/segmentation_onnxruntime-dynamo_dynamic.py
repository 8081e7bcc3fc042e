# As segmentation_onnxruntime_dynamic.py, exported by the dynamo exporter.
_base_ = ['./segmentation_onnxruntime_dynamic.py', './_base_/dynamo.py']
