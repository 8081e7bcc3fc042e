# Frozen batch norm in the backbone: its BN layers (local blocks, conv
# stems) stay in eval mode while the rest trains, so their running statistics
# keep the ImageNet values (`norm_eval=True`); add `frozen_stages=k` to also
# freeze the stem and stages 1..k. The official README on its dense runs: "We
# forget to **freeze BN in backbone**, which will further improve the
# performance." A starting point, not trained here; 8 GPUs x 128, as the
# parent.
_base_ = './topdown_heatmap_uniformer_s_210e_coco_256x192.py'

model = dict(backbone=dict(norm_eval=True))
