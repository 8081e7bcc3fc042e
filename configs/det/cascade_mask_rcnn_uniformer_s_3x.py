# Cascade Mask R-CNN + FPN, UniFormer-S h14, COCO, 3x schedule with
# multi-scale training (official exp/cascade_mask_rcnn_3x_ms_hybrid_small):
# the Swin-style cascade with 4conv-1fc box heads (SyncBN), GIoU box loss,
# class-specific regression, drop path 0.2, checkpointing of the 8 stage-3
# blocks, DETR-style multi-scale augmentation, steps at epochs 27 and 33 of
# 36, AdamW 1e-4; 8 GPUs x 2, fp16 (--amp).
#
# It inherits the Mask R-CNN 3x primitive (its pipeline and schedule) and
# turns it into a Cascade R-CNN: the RPN, the RoI extractors and the mask head
# keep their Mask R-CNN settings except where the official cascade base
# differs (RPN SmoothL1 loss, 2000 training proposals, allowed_border=0).
_base_ = './mask_rcnn_uniformer_s_3x.py'

model = dict(
    type='CascadeRCNN',
    backbone=dict(drop_path_rate=0.2),
    rpn_head=dict(
        loss_bbox=dict(
            _delete_=True,
            type='SmoothL1Loss',
            beta=1.0 / 9.0,
            loss_weight=1.0)),
    roi_head=dict(
        type='CascadeRoIHead',
        num_stages=3,
        stage_loss_weights=[1, 0.5, 0.25],
        # The same box head in each stage, but for its regression stds.
        bbox_head=[
            dict(
                type='ConvFCBBoxHead',
                num_shared_convs=4,
                num_shared_fcs=1,
                in_channels=256,
                conv_out_channels=256,
                fc_out_channels=1024,
                roi_feat_size=7,
                num_classes=80,
                bbox_coder=dict(
                    type='DeltaXYWHBBoxCoder',
                    target_means=[0., 0., 0., 0.],
                    target_stds=target_stds),
                reg_class_agnostic=False,
                reg_decoded_bbox=True,
                norm_cfg=dict(type='SyncBN', requires_grad=True),
                loss_cls=dict(
                    type='CrossEntropyLoss', use_sigmoid=False,
                    loss_weight=1.0),
                loss_bbox=dict(type='GIoULoss', loss_weight=10.0))
            for target_stds in ([0.1, 0.1, 0.2, 0.2], [0.05, 0.05, 0.1, 0.1],
                                [0.033, 0.033, 0.067, 0.067])
        ]),
    train_cfg=dict(
        rpn=dict(allowed_border=0),
        rpn_proposal=dict(max_per_img=2000),
        # The same assignment in each stage, but for its IoU threshold.
        rcnn=[
            dict(
                assigner=dict(
                    type='MaxIoUAssigner',
                    pos_iou_thr=iou_thr,
                    neg_iou_thr=iou_thr,
                    min_pos_iou=iou_thr,
                    match_low_quality=False,
                    ignore_iof_thr=-1),
                sampler=dict(
                    type='RandomSampler',
                    num=512,
                    pos_fraction=0.25,
                    neg_pos_ub=-1,
                    add_gt_as_proposals=True),
                mask_size=28,
                pos_weight=-1,
                debug=False) for iou_thr in (0.5, 0.6, 0.7)
        ]))
