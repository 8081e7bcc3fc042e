# ONNX export settings shared by the deploy configs (MMDeploy's
# configs/_base_/onnx_config.py, with the exporter and opset that work on
# torch 2.14). `dynamo` is read by uniformer_mm.deploy.mmdeploy_compat:
# False = the TorchScript exporter that MMDeploy's rewrites are written for
# (RoIAlign / NMS become the standard RoiAlign / NonMaxSuppression, no custom
# ops), opset 17 (the first with LayerNormalization). The dynamo exporter
# (the *-dynamo_* configs) needs opset 18: its down-conversion to older opsets
# fails on LayerNormalization.
onnx_config = dict(
    type='onnx',
    dynamo=False,
    export_params=True,
    keep_initializers_as_inputs=False,
    opset_version=17,
    save_file='end2end.onnx',
    input_names=['input'],
    output_names=['output'],
    input_shape=None,
    optimize=False)  # MMDeploy's optimizer needs its TorchScript extension
