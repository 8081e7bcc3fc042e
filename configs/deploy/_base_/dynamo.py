# torch.onnx's dynamo exporter instead of the TorchScript one (see
# onnx_config.py): opset 18, no down-conversion. Not for detectors with
# dynamic shapes (RoIAlign / NMS data-dependent shapes).
onnx_config = dict(dynamo=True, opset_version=18)
