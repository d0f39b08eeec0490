/*
 * The chain editor's link lists (larande/chains/forms.py): "Från" and "Leder till" offer the
 * chain's elements as they stand on the page, elements added in this edit included, sorted from
 * resources (G) up to long-term effects (B); a target that is not above the chosen source is
 * greyed out. The server fills the same lists without this script and checks every link anyway.
 */
(function () {
  "use strict";

  var ROW = /^elements-(\d+)-(key|level|title|DELETE)$/;
  var NO_ELEMENT = "Välj ett element";

  function field(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function elements(form, levels) {
    var list = [];
    form.querySelectorAll('[name^="elements-"][name$="-key"]').forEach(function (input) {
      var match = input.name.match(ROW);
      if (!match) return;
      var prefix = "elements-" + match[1] + "-";
      var deleted = field(form, prefix + "DELETE");
      if (deleted && (deleted.value === "1" || deleted.checked)) return;
      var key = input.value.trim();
      if (!key) return;
      var level = (field(form, prefix + "level") || {}).value || "";
      var title = ((field(form, prefix + "title") || {}).value || "").trim();
      list.push({ key: key, level: level, title: title });
    });
    list.sort(function (a, b) {
      var rank = ((levels[a.level] || [0])[0]) - ((levels[b.level] || [0])[0]);
      return rank || a.key.toUpperCase().localeCompare(b.key.toUpperCase());
    });
    return list;
  }

  function label(element, levels) {
    var level = levels[element.level];
    var text = level ? element.key + " (" + element.level + " " + level[1] + ")" : element.key;
    return element.title ? text + ": " + element.title : text;
  }

  function option(value, text, level) {
    var node = document.createElement("option");
    node.value = value;
    node.textContent = text;
    if (level) node.dataset.level = level;
    return node;
  }

  function fill(select, list, levels) {
    var current = select.value;
    var options = [option("", NO_ELEMENT)];
    var found = !current;
    list.forEach(function (element) {
      options.push(option(element.key, label(element, levels), element.level));
      if (element.key.toUpperCase() === current.toUpperCase()) {
        current = element.key;
        found = true;
      }
    });
    if (!found) options.push(option(current, current + " (finns inte i kedjan)"));
    select.replaceChildren.apply(select, options);
    select.value = current;
  }

  function limitTargets(form, select, levels) {
    var source = field(form, select.name.replace(/target_key$/, "source_key"));
    var chosen = source && source.selectedOptions[0];
    var sourceRank = chosen && chosen.dataset.level ? levels[chosen.dataset.level][0] : null;
    Array.prototype.forEach.call(select.options, function (node) {
      var rank = node.dataset.level ? levels[node.dataset.level][0] : null;
      node.disabled = !node.selected && sourceRank !== null && rank !== null && rank <= sourceRank;
    });
  }

  function refresh(form) {
    var selects = form.querySelectorAll("select[data-chain-element]");
    if (!selects.length) return;
    var levels = JSON.parse(selects[0].dataset.levels);
    var list = elements(form, levels);
    selects.forEach(function (select) {
      if (!/^links-\d+-/.test(select.name)) return;
      fill(select, list, levels);
    });
    selects.forEach(function (select) {
      if (select.dataset.chainElement === "target" && /^links-\d+-/.test(select.name)) {
        limitTargets(form, select, levels);
      }
    });
  }

  function start() {
    var first = document.querySelector("select[data-chain-element]");
    var form = first && first.form;
    if (!form) return;
    var changed = function (event) {
      var name = event.target.name || "";
      if (ROW.test(name) || /^links-\d+-source_key$/.test(name)) refresh(form);
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("focusin", function (event) {
      if (event.target.matches && event.target.matches("select[data-chain-element]")) refresh(form);
    });
    // A new link row: fill its lists at once (the options this script adds are not rows).
    new MutationObserver(function (mutations) {
      var added = mutations.some(function (mutation) {
        return Array.prototype.some.call(mutation.addedNodes, function (node) {
          return (
            node.nodeType === 1 &&
            node.tagName !== "OPTION" &&
            (node.matches("select[data-chain-element]") || node.querySelector("select[data-chain-element]"))
          );
        });
      });
      if (added) refresh(form);
    }).observe(form, { childList: true, subtree: true });
    refresh(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
