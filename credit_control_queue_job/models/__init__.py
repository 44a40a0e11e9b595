from . import credit_control_dunning_run
