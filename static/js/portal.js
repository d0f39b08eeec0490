// Progressive enhancement only: the portal works without JavaScript.
(function () {
    "use strict";

    // Explained terms: Escape closes an open definition (WCAG 1.4.13); it opens again on the next
    // hover or focus.
    function closestTerm(node) {
        return node && node.closest ? node.closest(".term") : null;
    }

    document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") {
            return;
        }
        document.querySelectorAll(".term:hover, .term:focus-within").forEach(function (term) {
            term.classList.add("term--closed");
        });
    });

    function reopen(event) {
        var term = closestTerm(event.target);
        if (term) {
            term.classList.remove("term--closed");
        }
    }

    document.addEventListener("focusin", reopen);
    document.addEventListener("mouseover", function (event) {
        var term = closestTerm(event.target);
        if (term && !term.contains(event.relatedTarget)) {
            term.classList.remove("term--closed");
        }
    });
})();
