/** @odoo-module **/

import { registry } from "@web/core/registry";

// Relies on the data created by tests/test_ui_tours.py (TestDunningTour): today's run, to review,
// with one communication for "Client Retard SARL" and one for "Autre Client SA".

registry.category("web_tour.tours").add("credit_control_dunning_review", {
    steps: () => [
        {
            content: "The run of the day waits for review",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('To Review')",
        },
        {
            content: "It prepared a communication for the first customer",
            trigger: "div[name='communication_ids'] .o_data_row:contains('Client Retard SARL'):contains('To Review')",
        },
        {
            content: "and one for the second customer",
            trigger: "div[name='communication_ids'] .o_data_row:contains('Autre Client SA'):contains('To Review')",
        },
        {
            content: "Review the communications",
            trigger: "button[name='action_open_communications']",
            run: "click",
        },
        {
            content: "They are grouped by level: open the level",
            trigger: ".o_list_view .o_group_name:contains('Relance ferme')",
            run: "click",
        },
        {
            content: "Open the communication of the customer to leave out",
            trigger: ".o_list_view .o_data_row:contains('Autre Client SA') td[name='partner_id']",
            run: "click",
        },
        {
            content: "The letter lists its invoice",
            trigger: ".o_form_view div[name='line_ids'] .o_data_row:contains('800.00')",
        },
        {
            content: "Exclude it",
            trigger: ".o_statusbar_buttons button[name='action_exclude']",
            run: "click",
        },
        {
            content: "The communication is excluded",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Excluded')",
        },
        {
            content: "Back to the run",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('RUN/')",
            run: "click",
        },
        {
            content: "The run shows the exclusion",
            trigger: "div[name='communication_ids'] .o_data_row:contains('Autre Client SA'):contains('Excluded')",
        },
        {
            content: "Validate the run",
            trigger: ".o_statusbar_buttons button[name='action_validate']",
            run: "click",
        },
        {
            content: "Confirm the sending",
            trigger: ".modal:contains('Send every communication') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The run is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "The first customer's communication is sent",
            trigger: "div[name='communication_ids'] .o_data_row:contains('Client Retard SARL'):contains('Sent')",
        },
        {
            content: "Watch the report requests of the web client",
            trigger: ".o_statusbar_buttons button[name='action_print_letters']",
            run() {
                const open = XMLHttpRequest.prototype.open;
                XMLHttpRequest.prototype.open = function (method, url, ...rest) {
                    if (String(url).includes("/report/")) {
                        document.body.dataset.ccReportUrl = url;
                        this.addEventListener("load", () => {
                            document.body.dataset.ccReportStatus = String(this.status);
                            document.body.dataset.ccReportDisposition =
                                this.getResponseHeader("Content-Disposition") || "";
                        });
                    }
                    return open.call(this, method, url, ...rest);
                };
            },
        },
        {
            content: "Print the letters",
            trigger: ".o_statusbar_buttons button[name='action_print_letters']",
            run: "click",
        },
        {
            content: "The letter is downloaded from the report controller",
            trigger: "body[data-cc-report-url='/report/download'][data-cc-report-status='200']",
        },
        {
            content: "as the PDF letter of the first customer",
            trigger: "body[data-cc-report-disposition*='Retard'][data-cc-report-disposition$='.pdf']",
        },
    ],
});
