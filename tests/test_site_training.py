"""The site's training runs: one batch, the same numbers as toynn's functions."""

import toynn
from toynn.site import training
from toynn.site.training import Setting


def test_a_batch_gives_each_settings_run_and_the_error_after_its_last_update(monkeypatch):
    monkeypatch.setattr(training, "ITERATIONS", 300)
    settings = [Setting(4, 1, 10), Setting(2, 3, 0.3), Setting(32, 1, 10, (3, 2, 1, 0))]
    records = training.train_batch(settings)
    X, y = toynn.xor_data()
    for setting in settings:
        rows = list(setting.rows)
        (alone,) = toynn.sweep(
            X[rows], y[rows], [setting.alpha], hidden_size=setting.hidden_size,
            seed=setting.seed, iterations=301, every=100,
        )  # fmt: skip
        run = training.find(records, setting)
        assert run.errors == alone.errors[:-1]  # checkpoints 0, 100, 200
        (record,) = [r for r in records if training.setting_of(r) == setting]
        assert record["final_error"] == alone.errors[-1]  # the error after update 300


def test_the_batches_of_the_site_cover_the_grid_once():
    from toynn.site.experiments import TRAINING

    sizes = [size for batch in TRAINING.values() for size in batch]
    assert sorted(sizes) == training.HIDDEN_SIZES
