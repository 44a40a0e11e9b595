from . import account_move_line
from . import credit_control_financial_statement
from . import credit_control_score
from . import credit_control_scoring_factor
from . import credit_control_scoring_measure
from . import credit_control_scoring_model
from . import credit_control_sector_risk
from . import res_partner
