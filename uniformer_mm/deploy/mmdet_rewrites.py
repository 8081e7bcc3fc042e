"""Two-stage detector post-processing that follows mmdet's own.

MMDeploy 1.3.1's rewrites of the RPN and of the R-CNN box head change the
results against mmdet (measured on Mask R-CNN: other boxes, other labels):

- RPN: one NMS over all levels with MMDeploy's ``score_threshold`` (0.05),
  where mmdet keeps the top ``nms_pre`` of *each* level, drops empty boxes
  (``min_bbox_size``) and runs the NMS per level (``batched_nms`` with the
  level ids), with no score threshold;
- box head: the box of each RoI's top class only, reused for every class,
  where mmdet decodes a box per class and runs a class-aware NMS over all
  (RoI, class) pairs above ``score_thr``.

These rewrites replace them and do what mmdet does, in ONNX's standard
``NonMaxSuppression`` (MMDeploy's ``ONNXNMSop``): class-aware NMS as mmdet's
``batched_nms`` does it, by offsetting each class's (level's) boxes by
``class * (max coordinate + 1)``, with the RPN / R-CNN ``test_cfg`` of the
model config. Batched outputs have a fixed length (``max_per_img``); unused
rows have score 0 (MMDeploy's backend model drops them), and RoIs from such
rows of the RPN output are ignored by the box head.
"""
import torch
import torch.nn.functional as F

from .rewriting import replace_function_rewriter

RPN_PREDICT = 'mmdet.models.dense_heads.rpn_head.RPNHead.predict_by_feat'
ROI_PREDICT_BBOX = ('mmdet.models.roi_heads.standard_roi_head.'
                    'StandardRoIHead.predict_bbox')
CASCADE_PREDICT_BBOX = ('mmdet.models.roi_heads.cascade_roi_head.'
                        'CascadeRoIHead.predict_bbox')
CASCADE_PREDICT_MASK = ('mmdet.models.roi_heads.cascade_roi_head.'
                        'CascadeRoIHead.predict_mask')
BBOX_PREDICT = ('mmdet.models.roi_heads.bbox_heads.bbox_head.'
                'BBoxHead.predict_by_feat')
# Below every valid score: a score threshold that drops masked candidates.
_MASKED = -1.0


def _batched_gather(x, inds):
    """``x[b, inds[b]]`` for ``(B, N, ...)`` x and ``(B, K)`` inds."""
    batch = torch.arange(x.shape[0], device=x.device).view(-1, 1)
    return x[batch, inds]


def _class_aware_nms(boxes, scores, classes, valid, iou_threshold,
                     score_threshold, max_num):
    """mmdet's ``batched_nms`` + ``[:max_num]``, per image of a batch.

    Args:
        boxes: ``(B, N, 4)``; scores, classes, valid: ``(B, N)``.

    Returns:
        ``(dets (B, max_num, 5), labels (B, max_num))`` sorted by score;
        rows past an image's detections have score 0, label -1.
    """
    from mmdeploy.mmcv.ops.nms import ONNXNMSop
    valid_boxes = torch.where(valid.unsqueeze(-1), boxes,
                              boxes.new_zeros(1))
    max_coordinate = valid_boxes.flatten(1).max(dim=1)[0].view(-1, 1, 1)
    offsets = classes.unsqueeze(-1).to(boxes) * (max_coordinate + 1)
    scores = torch.where(valid, scores, scores.new_full((1, ), _MASKED))
    selected = ONNXNMSop.apply(boxes + offsets, scores.unsqueeze(1),
                               max_num, iou_threshold, score_threshold)
    batch_inds, box_inds = selected[:, 0], selected[:, 2]
    batch_size = boxes.shape[0]
    # Scatter the selections into (B, S + max_num) rows (score 0 elsewhere),
    # then keep each image's top max_num by score.
    kept_scores = scores[batch_inds, box_inds]
    kept_dets = torch.cat(
        [boxes[batch_inds, box_inds], kept_scores.unsqueeze(-1)], dim=-1)
    kept_labels = classes[batch_inds, box_inds]
    mine = batch_inds.unsqueeze(0) == torch.arange(
        batch_size, device=boxes.device).view(-1, 1)  # (B, S)
    dets = torch.where(mine.unsqueeze(-1), kept_dets.unsqueeze(0),
                       kept_dets.new_zeros(1))
    labels = torch.where(mine, kept_labels.unsqueeze(0),
                         kept_labels.new_full((1, ), -1))
    dets = torch.cat([dets, dets.new_zeros((batch_size, max_num, 5))], 1)
    labels = torch.cat(
        [labels, labels.new_full((batch_size, max_num), -1)], 1)
    _, order = dets[..., 4].topk(max_num, dim=1)
    return _batched_gather(dets, order), _batched_gather(labels, order)


def rpn_head__predict_by_feat(self, cls_scores, bbox_preds,
                              score_factors=None, batch_img_metas=None,
                              cfg=None, rescale=False, with_nms=True,
                              **kwargs):
    """RPN proposals as ``RPNHead._predict_by_feat_single`` +
    ``_bbox_post_process``: per-level top ``nms_pre``, empty boxes dropped,
    NMS per level, top ``max_per_img``. Returns ``(dets, labels)``."""
    cfg = self.test_cfg if cfg is None else cfg
    num_levels = len(cls_scores)
    batch_size = cls_scores[0].shape[0]
    featmap_sizes = [cls_scores[i].shape[-2:] for i in range(num_levels)]
    mlvl_anchors = self.anchor_generator.grid_anchors(
        featmap_sizes, device=cls_scores[0].device)
    nms_pre = cfg.get('nms_pre', -1)
    all_scores, all_deltas, all_anchors, all_levels = [], [], [], []
    for level, (cls_score, bbox_pred, anchors) in enumerate(
            zip(cls_scores, bbox_preds, mlvl_anchors)):
        cls_score = cls_score.permute(0, 2, 3, 1)
        if self.use_sigmoid_cls:
            scores = cls_score.reshape(batch_size, -1).sigmoid()
        else:
            scores = cls_score.reshape(batch_size, -1, 2).softmax(-1)[..., 0]
        deltas = bbox_pred.permute(0, 2, 3, 1).reshape(
            batch_size, -1, self.bbox_coder.encode_size)
        anchors = anchors.unsqueeze(0).expand(batch_size, -1, -1)
        if nms_pre > 0:
            # sort + slice as mmdet (a slice past the end keeps all).
            scores, order = scores.sort(dim=1, descending=True)
            scores, order = scores[:, :nms_pre], order[:, :nms_pre]
            deltas = _batched_gather(deltas, order)
            anchors = _batched_gather(anchors, order)
        all_scores.append(scores)
        all_deltas.append(deltas)
        all_anchors.append(anchors)
        all_levels.append(torch.full_like(scores, level, dtype=torch.long))
    scores = torch.cat(all_scores, dim=1)
    levels = torch.cat(all_levels, dim=1)
    boxes = self.bbox_coder.decode(
        torch.cat(all_anchors, dim=1), torch.cat(all_deltas, dim=1),
        max_shape=batch_img_metas[0]['img_shape'])
    if not with_nms:
        return boxes, scores.unsqueeze(-1)
    valid = torch.ones_like(scores, dtype=torch.bool)
    min_size = cfg.get('min_bbox_size', -1)
    if min_size >= 0:
        valid = ((boxes[..., 2] - boxes[..., 0]) > min_size) & (
            (boxes[..., 3] - boxes[..., 1]) > min_size)
    return _class_aware_nms(boxes, scores, levels, valid,
                            cfg.nms.get('iou_threshold', 0.7),
                            _MASKED / 2, cfg.max_per_img)


def _rcnn_detections(bbox_head, rois, cls_scores, bbox_preds, img_shape,
                     rcnn_test_cfg, roi_valid=None):
    """``BBoxHead._predict_by_feat_single`` (without rescale) for batched
    ``(B, R, ...)`` inputs: a box per class, mmdet's ``multiclass_nms``."""
    batch_size, num_rois = cls_scores.shape[:2]
    num_classes = bbox_head.num_classes
    scores = F.softmax(cls_scores, dim=-1)[..., :num_classes]
    boxes = bbox_head.bbox_coder.decode(
        rois[..., 1:], bbox_preds, max_shape=img_shape)
    if bbox_head.reg_class_agnostic:
        boxes = boxes.unsqueeze(2).expand(-1, -1, num_classes, -1)
    boxes = boxes.reshape(batch_size, num_rois * num_classes, 4)
    classes = torch.arange(
        num_classes, device=scores.device).view(1, 1, -1).expand(
            batch_size, num_rois, -1).reshape(batch_size, -1)
    scores = scores.reshape(batch_size, -1)
    score_thr = rcnn_test_cfg.get('score_thr', 0.05)
    valid = scores > score_thr
    if roi_valid is not None:
        valid = valid & roi_valid.unsqueeze(-1).expand(
            -1, -1, num_classes).reshape(batch_size, -1)
    return _class_aware_nms(boxes, scores, classes, valid,
                            rcnn_test_cfg.nms.get('iou_threshold', 0.5),
                            score_thr, rcnn_test_cfg.max_per_img)


def bbox_head__predict_by_feat(self, rois, cls_scores, bbox_preds,
                               batch_img_metas, rcnn_test_cfg,
                               rescale=False, **kwargs):
    """``(dets, labels)`` of batched RoIs ``(B, R, 5)``, as mmdet."""
    return _rcnn_detections(self, rois, cls_scores, bbox_preds,
                            batch_img_metas[0]['img_shape'], rcnn_test_cfg)


def standard_roi_head__predict_bbox(self, x, batch_img_metas,
                                    rpn_results_list, rcnn_test_cfg,
                                    rescale=False):
    """MMDeploy's ``predict_bbox``, but RoIs from unused (score 0) rows of
    the RPN output give no detections (mmdet has no such RoIs)."""
    proposals = rpn_results_list[0]  # (B, K, 5): boxes and score
    batch_size, num_proposals = proposals.shape[:2]
    batch_index = torch.arange(
        batch_size, device=proposals.device).to(proposals).view(
            -1, 1, 1).expand(-1, num_proposals, 1)
    rois = torch.cat([batch_index, proposals[..., :4]], dim=-1)
    results = self._bbox_forward(x, rois.reshape(-1, 5))
    cls_scores = results['cls_score'].reshape(batch_size, num_proposals, -1)
    bbox_preds = results['bbox_pred'].reshape(batch_size, num_proposals, -1)
    return _rcnn_detections(self.bbox_head, rois, cls_scores, bbox_preds,
                            batch_img_metas[0]['img_shape'], rcnn_test_cfg,
                            roi_valid=proposals[..., 4] > 0)


def cascade_roi_head__predict_bbox(self, x, batch_img_metas,
                                   rpn_results_list, rcnn_test_cfg,
                                   rescale=False, **kwargs):
    """``CascadeRoIHead._refine_roi`` + ``predict_by_feat`` of the last
    stage, batched. Unlike MMDeploy's rewrite, a stage with class-specific
    regression (the UniFormer cascade configs) refines each RoI with the
    deltas of its top class (mmdet's ``regress_by_class``), not with all
    classes' deltas at once; RoIs from unused RPN rows give nothing."""
    proposals = rpn_results_list[0]
    batch_size, num_proposals = proposals.shape[:2]
    batch_index = torch.arange(
        batch_size, device=proposals.device).to(proposals).view(
            -1, 1, 1).expand(-1, num_proposals, 1)
    rois = torch.cat([batch_index, proposals[..., :4]], dim=-1)
    img_shape = batch_img_metas[0]['img_shape']
    ms_scores = []
    for stage in range(self.num_stages):
        results = self._bbox_forward(stage, x, rois.reshape(-1, 5),
                                     **kwargs)
        cls_score = results['cls_score'].reshape(batch_size, num_proposals,
                                                 -1)
        bbox_pred = results['bbox_pred'].reshape(batch_size, num_proposals,
                                                 -1)
        ms_scores.append(cls_score)
        if stage < self.num_stages - 1:
            head = self.bbox_head[stage]
            if head.custom_activation:
                cls_score = head.loss_cls.get_activation(cls_score)
            if not head.reg_class_agnostic:
                label = cls_score[..., :-1].argmax(dim=-1)
                dim = head.bbox_coder.encode_size
                bbox_pred = bbox_pred.reshape(
                    batch_size, num_proposals, -1, dim).gather(
                        2,
                        label.view(batch_size, num_proposals, 1,
                                   1).expand(-1, -1, 1, dim)).squeeze(2)
            refined = head.bbox_coder.decode(
                rois[..., 1:], bbox_pred, max_shape=img_shape)
            from mmdet.structures.bbox import get_box_tensor
            rois = torch.cat([batch_index, get_box_tensor(refined)], dim=-1)
    cls_scores = sum(ms_scores) / float(len(ms_scores))
    return _rcnn_detections(self.bbox_head[-1], rois, cls_scores, bbox_pred,
                            img_shape, rcnn_test_cfg,
                            roi_valid=proposals[..., 4] > 0)


def cascade_roi_head__predict_mask(self, x, batch_img_metas, results_list,
                                   rescale=False):
    """Masks as ``CascadeRoIHead.predict_mask``: the mean of each stage's
    mask *probabilities* (MMDeploy's rewrite averages the logits). Passed to
    MMDeploy's mask-head rewrite (which applies the sigmoid) as logits."""
    dets, det_labels = results_list
    batch_size, num_det = dets.shape[:2]
    batch_index = torch.arange(
        batch_size, device=dets.device).to(dets).view(-1, 1, 1).expand(
            -1, num_det, 1)
    mask_rois = torch.cat([batch_index, dets[..., :4]], dim=-1).view(-1, 5)
    probabilities = sum(
        self._mask_forward(stage, x, mask_rois)['mask_preds'].sigmoid()
        for stage in range(self.num_stages)) / self.num_stages
    masks = self.mask_head[-1].predict_by_feat(
        torch.logit(probabilities), results_list, batch_img_metas,
        self.test_cfg, rescale=rescale)
    masks = masks.reshape(batch_size, num_det, masks.shape[-2],
                          masks.shape[-1])
    return dets, det_labels, masks


def register() -> None:
    replace_function_rewriter(RPN_PREDICT, rpn_head__predict_by_feat)
    replace_function_rewriter(BBOX_PREDICT, bbox_head__predict_by_feat)
    replace_function_rewriter(ROI_PREDICT_BBOX,
                              standard_roi_head__predict_bbox)
    replace_function_rewriter(CASCADE_PREDICT_BBOX,
                              cascade_roi_head__predict_bbox)
    replace_function_rewriter(CASCADE_PREDICT_MASK,
                              cascade_roi_head__predict_mask)
