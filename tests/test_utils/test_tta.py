"""``uniformer_mm.utils.cli.apply_tta`` (``tools/test.py --tta``) and the
checkpoint check through a TTA wrapper."""
import pytest
import torch
from helpers import demo_config
from mmengine.config import Config
from mmengine.model import BaseModel, BaseTTAModel

from uniformer_mm.utils.checks import check_checkpoint
from uniformer_mm.utils.cli import apply_tta
from uniformer_mm.utils.errors import FixableError


def test_cls_tta_wraps_the_model_and_flips():
    cfg = Config.fromfile(demo_config('cls'))
    model = cfg.model.to_dict()
    apply_tta(cfg)
    assert cfg.model.type == 'AverageClsScoreTTA'
    assert cfg.model.module.to_dict() == model
    (tta, ) = [t for t in cfg.test_dataloader.dataset.pipeline
               if t['type'] == 'TestTimeAug']
    steps = [[t['type'] for t in step] for step in tta['transforms']]
    assert steps == [['ResizeEdge'], ['CenterCrop'],
                     ['RandomFlip', 'RandomFlip'], ['PackInputs']]
    assert tta['transforms'][0][0]['scale'] == 110  # the demo's own sizes
    assert tta['transforms'][1][0]['crop_size'] == 96


def test_seg_tta_uses_the_bases():
    cfg = apply_tta(Config.fromfile(demo_config('seg')))
    assert cfg.model.type == 'SegTTAModel'
    assert cfg.model.module.backbone.type == 'uniformer_mm.UniFormer'


@pytest.mark.parametrize('task, message', [
    ('det', 'does not support instance masks'),
    ('pose', 'defines no tta_model and no tta_pipeline'),
    ('action', 'defines no tta_model and no tta_pipeline'),
])
def test_tta_refusals_name_the_fix(task, message):
    with pytest.raises(FixableError, match=message):
        apply_tta(Config.fromfile(demo_config(task)))


class _Tiny(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 2)

    def forward(self, *args, **kwargs):
        return self.linear(*args)

    def test_step(self, data):
        return data


class _TTA(BaseTTAModel):

    def merge_preds(self, data_samples_list):
        return data_samples_list


def test_checkpoint_check_looks_inside_tta_models(tmp_path):
    path = str(tmp_path / 'model.pth')
    torch.save(dict(state_dict=_Tiny().state_dict()), path)
    check_checkpoint(_TTA(_Tiny()), path)  # fits: no error
    torch.save(dict(state_dict={'other.weight': torch.zeros(1)}), path)
    with pytest.raises(FixableError, match='does not fit'):
        check_checkpoint(_TTA(_Tiny()), path)
