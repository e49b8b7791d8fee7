"""toynn: the small numpy package the gradient-descent tutorial teaches with.

Read it in this order: ``data`` (the toy sets), ``network`` (sigmoid, the 3-layer network
and its training loop), ``sweep`` (many alphas at once), ``two_layer`` (Part 4's network
and error surface), ``bucket`` (the ball-in-a-bucket toys of Parts 2 and 3). ``plain`` is
the same 3-layer network in plain Python, without numpy, for the browser (import it as
``from toynn import plain``).
"""

from toynn.bucket import (
    bowl,
    bowl_slope,
    descend,
    descend_by_sign,
    drop_balls,
    five_dips,
    five_dips_slope,
    rutted_bowl,
    rutted_bowl_slope,
    steep_bowl,
    steep_bowl_slope,
)
from toynn.data import first_input_data, xor_data
from toynn.network import (
    TrainingRun,
    mean_absolute_error,
    predict,
    sigmoid,
    sigmoid_output_to_derivative,
    starting_weights,
    train,
)
from toynn.sweep import POST_ALPHAS, sweep
from toynn.two_layer import TwoLayerRun, error_surface, train_two_layer

__version__ = "0.1.0"

__all__ = [
    "POST_ALPHAS",
    "TrainingRun",
    "TwoLayerRun",
    "bowl",
    "bowl_slope",
    "descend",
    "descend_by_sign",
    "drop_balls",
    "error_surface",
    "first_input_data",
    "five_dips",
    "five_dips_slope",
    "mean_absolute_error",
    "predict",
    "rutted_bowl",
    "rutted_bowl_slope",
    "sigmoid",
    "sigmoid_output_to_derivative",
    "starting_weights",
    "steep_bowl",
    "steep_bowl_slope",
    "sweep",
    "train",
    "train_two_layer",
    "xor_data",
]
