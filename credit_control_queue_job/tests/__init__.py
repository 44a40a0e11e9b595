from . import test_dunning_jobs
