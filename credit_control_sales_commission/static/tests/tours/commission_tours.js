/** @odoo-module **/

import { registry } from "@web/core/registry";

// Relies on the data created by tests/test_ui_tours.py (TestCommissionTour).
registry.category("web_tour.tours").add("credit_control_commission_salesperson", {
    steps: () => [
        {
            content: "The dialog explains invoiced, collected and pending",
            trigger: ".modal:contains('Per period and customer')",
        },
        {
            content: "Show my figures",
            trigger: ".modal button[name='action_show']",
            run: "click",
        },
        {
            content: "The figures are grouped by beneficiary: open the salesperson's group",
            trigger: ".o_list_view .o_group_name:contains('Anne Commission')",
            run: "click",
        },
        {
            content: "The customer of the salesperson is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Commission SA')",
        },
        {
            content: "with the commission on cash collected",
            trigger: ".o_list_view th:contains('Commission on Cash Collected')",
        },
        {
            content: "and the pending commission",
            trigger: ".o_list_view th:contains('Pending Commission')",
        },
        {
            content: "the collected commission is 5 % of the 400.00 collected",
            trigger: ".o_list_view .o_data_row:contains('Tour Commission SA'):contains('20.00')",
        },
        {
            content: "the pending commission is 5 % of the 600.00 still to collect",
            trigger: ".o_list_view .o_data_row:contains('Tour Commission SA'):contains('30.00')",
        },
    ],
});
