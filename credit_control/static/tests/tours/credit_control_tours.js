/** @odoo-module **/

import { registry } from "@web/core/registry";

// These tours rely on the data created by tests/test_ui_tours.py.

registry.category("web_tour.tours").add("credit_control_salesperson_blocked", {
    steps: () => [
        {
            content: "The quotation shows the credit banner before anything is clicked",
            trigger: ".o_cc_blocked_banner:contains('this order cannot be confirmed')",
        },
        {
            content: "The banner lists the hold",
            trigger: ".o_cc_blocked_banner:contains('Credit hold: Chèque impayé')",
        },
        {
            content: "The banner lists the limit with its figures",
            trigger: ".o_cc_blocked_banner:contains('above the usable limit')",
        },
        {
            content: "A salesperson has no override button",
            trigger: ".o_form_view:not(:has(button[name='action_cc_override']))",
        },
        {
            content: "Confirm",
            trigger: ".o_statusbar_buttons button[name='action_confirm']:visible",
            run: "click",
        },
        {
            content: "The refusal lists every failed rule",
            trigger: ".modal:contains('cannot be confirmed'):contains('Credit hold'):contains('Credit limit')",
        },
        {
            content: "Close the refusal",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The order is still a quotation",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Quotation')",
        },
    ],
});

registry.category("web_tour.tours").add("credit_control_salesperson_partner_readonly", {
    steps: () => [
        {
            content: "Open the Credit Control tab",
            trigger: ".o_notebook a.nav-link:contains('Credit Control')",
            run: "click",
        },
        {
            content: "The status and its reasons are visible",
            trigger: ".o_notebook .alert-danger:contains('Credit blocked')",
        },
        {
            content: "The risk class cannot be changed",
            trigger: "div[name='cc_risk_class_id'].o_readonly_modifier",
        },
        {
            content: "The own-limit switch cannot be changed",
            trigger: "div[name='cc_use_custom_limit'].o_readonly_modifier",
        },
        {
            content: "The hold cannot be lifted",
            trigger: "div[name='cc_hold'].o_readonly_modifier",
        },
    ],
});

registry.category("web_tour.tours").add("credit_control_manager_override", {
    steps: () => [
        {
            content: "The quotation is blocked",
            trigger: ".o_cc_blocked_banner:contains('Credit hold')",
        },
        {
            content: "Override",
            trigger: ".o_statusbar_buttons button[name='action_cc_override']",
            run: "click",
        },
        {
            content: "The wizard shows the rules",
            trigger: ".modal div[name='rules']:contains('Credit hold')",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Virement reçu ce matin, confirmé par la banque",
        },
        {
            content: "Confirm anyway",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "The override is in the chatter",
            trigger: ".o-mail-Message:contains('Credit block overridden'):contains('Virement reçu ce matin')",
        },
    ],
});

registry.category("web_tour.tours").add("credit_control_aged_balance", {
    steps: () => [
        {
            content: "The aged balance is grouped by customer",
            trigger: ".o_list_view .o_group_name:contains('Tour Client SA')",
            run: "click",
        },
        {
            content: "The customer's invoice is listed with its days past due",
            trigger: ".o_list_view .o_data_row:contains('Tour Client SA')",
        },
        {
            content: "Switch to the pivot view",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot shows the buckets",
            trigger: ".o_pivot th:contains('31-60')",
        },
    ],
});

registry.category("web_tour.tours").add("credit_control_dashboard", {
    steps: () => [
        {
            content: "The dashboard shows the DSO",
            trigger: "div[name='dso_countback']",
        },
        {
            content: "and the overdue share",
            trigger: "div[name='overdue_share']",
        },
        {
            content: "and the salespeople",
            trigger: "div[name='line_ids'] .o_data_row",
        },
        {
            content: "Open the monthly trend",
            trigger: "button[name='action_open_trend']",
            run: "click",
        },
        {
            content: "The trend graph is shown",
            trigger: ".o_graph_view",
        },
    ],
});
