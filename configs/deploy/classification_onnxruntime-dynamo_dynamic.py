# As classification_onnxruntime_dynamic.py, exported by torch.onnx's dynamo
# exporter (read by uniformer_mm.deploy.mmdeploy_compat): opset 18, where its
# down-conversion to older opsets fails on LayerNormalization.
_base_ = ['./classification_onnxruntime_dynamic.py']
onnx_config = dict(dynamo=True, opset_version=18)
