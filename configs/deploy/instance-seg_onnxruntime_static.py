# mmdet Mask R-CNN / Cascade Mask R-CNN -> ONNX Runtime. The TorchScript
# exporter turns mmcv's RoIAlign / NMS into the standard RoiAlign /
# NonMaxSuppression (no MMDeploy custom ops). The RPN and box-head
# post-processing follow mmdet's (uniformer_mm.deploy.mmdet_rewrites) with the
# model config's test_cfg; post_processing below only bounds the exported
# NMS (MMDeploy's keys).
_base_ = ['./_base_/onnx_config.py', './_base_/onnxruntime.py']
onnx_config = dict(output_names=['dets', 'labels', 'masks'])
codebase_config = dict(
    type='mmdet',
    task='ObjectDetection',
    model_type='end2end',
    post_processing=dict(
        score_threshold=0.05,
        confidence_threshold=0.005,
        iou_threshold=0.5,
        max_output_boxes_per_class=200,
        pre_top_k=5000,
        keep_top_k=100,
        background_label_id=-1,
        export_postprocess_mask=False))
