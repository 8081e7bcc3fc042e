# As segmentation_onnxruntime_static.py, exported by torch.onnx's dynamo
# exporter (read by uniformer_mm.deploy.mmdeploy_compat): opset 18, where its
# down-conversion to older opsets fails on LayerNormalization. Static shapes:
# MMDeploy's segmentor rewrite reads the image size from the data samples,
# which dynamo bakes into a graph whose input it keeps dynamic (ONNX Runtime
# then fails on another size); the TorchScript configs are dynamic.
_base_ = ['./segmentation_onnxruntime_static.py']
onnx_config = dict(dynamo=True, opset_version=18)
