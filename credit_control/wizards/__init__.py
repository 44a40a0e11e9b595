from . import credit_control_override_wizard
from . import credit_control_aged_balance_wizard
from . import credit_control_penalty_wizard
from . import credit_control_doubtful_wizard
