# Kinetics-600 for the *_k600 configs: a mixin, inherited next to a
# Kinetics-400 config (_base_ = [K400 config, './_base_/k600.py']), which
# merges these pieces into its model and dataloaders:
#   model = _base_.kinetics600_model
#   train_dataloader = dict(dataset=_base_.kinetics600_train_dataset)
#   val_dataloader = dict(dataset=_base_.kinetics600_val_dataset)
# 600 classes: the head and the Mixup / CutMix label width (same alphas as
# the Kinetics-400 primitive).
kinetics600_model = dict(
    cls_head=dict(num_classes=600),
    data_preprocessor=dict(
        blending=dict(augments=[
            dict(type='MixupBlending', alpha=0.8, num_classes=600),
            dict(type='CutmixBlending', alpha=1, num_classes=600),
        ])))
# The K600 video lists and folders (test = val).
kinetics600_train_dataset = dict(
    ann_file='data/kinetics600/kinetics600_train_list_videos.txt',
    data_prefix=dict(video='data/kinetics600/videos_train'))
kinetics600_val_dataset = dict(
    ann_file='data/kinetics600/kinetics600_val_list_videos.txt',
    data_prefix=dict(video='data/kinetics600/videos_val'))
