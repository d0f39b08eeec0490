// Autocomplete for the search boxes: the ARIA 1.2 combobox pattern with a listbox popup.
// Progressive enhancement: without this script every search box is a plain GET form that works.
// Enhances every <input data-autocomplete="/sok/forslag/"> inside a form.
(function () {
    "use strict";

    var MIN_CHARS = 2;
    var DELAY_MS = 150;
    var counter = 0;

    function enhance(input) {
        var url = input.getAttribute("data-autocomplete");
        if (!url || !window.fetch || input.hasAttribute("role")) {
            return;
        }
        counter += 1;
        var listId = "sokforslag-" + counter;
        var container = input.closest(".search-box") || input.parentNode;

        var list = document.createElement("ul");
        list.id = listId;
        list.className = "autocomplete";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "Sökförslag");
        list.hidden = true;

        var status = document.createElement("div");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        status.setAttribute("aria-atomic", "true");

        container.appendChild(list);
        container.appendChild(status);

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listId);
        input.setAttribute("autocomplete", "off");

        var items = [];
        var active = -1;
        var timer = null;
        var controller = null;
        var cache = {};
        var lastQuery = null;

        function announce(text) {
            // Clear first so that the same message twice is still read out.
            status.textContent = "";
            window.setTimeout(function () { status.textContent = text; }, 50);
        }

        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
            active = -1;
        }

        function setActive(index) {
            var options = list.querySelectorAll("[role=option]");
            if (!options.length) {
                return;
            }
            if (index < 0) { index = options.length - 1; }
            if (index >= options.length) { index = 0; }
            for (var i = 0; i < options.length; i += 1) {
                options[i].setAttribute("aria-selected", i === index ? "true" : "false");
                options[i].classList.toggle("is-active", i === index);
            }
            active = index;
            input.setAttribute("aria-activedescendant", options[index].id);
            options[index].scrollIntoView({ block: "nearest" });
        }

        function render(suggestions) {
            items = suggestions;
            list.textContent = "";
            active = -1;
            input.removeAttribute("aria-activedescendant");
            if (!suggestions.length) {
                close();
                announce(input.value.trim().length >= MIN_CHARS ? "Inga förslag." : "");
                return;
            }
            suggestions.forEach(function (item, i) {
                var option = document.createElement("li");
                option.id = listId + "-" + i;
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                var title = document.createElement("span");
                title.className = "autocomplete__title";
                title.textContent = item.title;
                option.appendChild(title);
                var meta = document.createElement("span");
                meta.className = "autocomplete__type";
                meta.textContent = item.label ? item.type + " · " + item.label : item.type;
                option.appendChild(document.createTextNode(" "));
                option.appendChild(meta);
                // mousedown, not click: the input would lose focus (and close the list) first.
                option.addEventListener("mousedown", function (event) {
                    event.preventDefault();
                    go(i);
                });
                list.appendChild(option);
            });
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
            announce(suggestions.length + " förslag" +
                ". Välj med pil upp och pil ned, öppna med Enter.");
        }

        function go(index) {
            var item = items[index];
            if (item && item.url) {
                close();
                window.location.assign(item.url);
            }
        }

        function fetchSuggestions() {
            var query = input.value.trim();
            if (query === lastQuery) {
                return;
            }
            lastQuery = query;
            if (query.length < MIN_CHARS) {
                render([]);
                return;
            }
            if (cache[query]) {
                render(cache[query]);
                return;
            }
            if (controller) { controller.abort(); }
            controller = window.AbortController ? new AbortController() : null;
            var sep = url.indexOf("?") === -1 ? "?" : "&";
            fetch(url + sep + "q=" + encodeURIComponent(query), {
                headers: { "Accept": "application/json" },
                signal: controller ? controller.signal : undefined
            })
                .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
                .then(function (data) {
                    cache[query] = data.suggestions || [];
                    if (input.value.trim() === query) {
                        render(cache[query]);
                    }
                })
                .catch(function () { /* aborted or offline: the form still works */ });
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(fetchSuggestions, DELAY_MS);
        });

        input.addEventListener("keydown", function (event) {
            var open = !list.hidden;
            switch (event.key) {
            case "ArrowDown":
                event.preventDefault();
                if (!open && items.length) {
                    list.hidden = false;
                    input.setAttribute("aria-expanded", "true");
                }
                setActive(active + 1);
                break;
            case "ArrowUp":
                event.preventDefault();
                if (!open && items.length) {
                    list.hidden = false;
                    input.setAttribute("aria-expanded", "true");
                }
                setActive(active - 1);
                break;
            case "Enter":
                if (open && active >= 0) {
                    event.preventDefault();
                    go(active);
                }
                break;
            case "Escape":
                if (open) {
                    event.preventDefault();
                    close();
                } else if (input.value) {
                    event.preventDefault();
                    input.value = "";
                    lastQuery = null;
                    items = [];
                }
                break;
            case "Tab":
                close();
                break;
            default:
                break;
            }
        });

        input.addEventListener("blur", function () {
            window.setTimeout(close, 100);
        });
    }

    function init() {
        var inputs = document.querySelectorAll("input[data-autocomplete]");
        for (var i = 0; i < inputs.length; i += 1) {
            enhance(inputs[i]);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
}());
