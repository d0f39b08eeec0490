// The glossary's print view: a "Skriv ut" button that opens the browser's print dialog.
// Progressive enhancement: the button stays hidden without JavaScript (printing from the browser's
// own menu works the same).
(function () {
    "use strict";

    document.querySelectorAll("[data-print-button]").forEach(function (button) {
        if (typeof window.print !== "function") {
            return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
            window.print();
        });
    });
})();
