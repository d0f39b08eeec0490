// Forms: after a submission, move focus to the confirmation or the error summary so that screen
// readers announce it (the template loads this file only then).
(function () {
    "use strict";

    var target = document.querySelector("[data-focus-on-load]");
    if (target) {
        target.focus();
    }
})();
