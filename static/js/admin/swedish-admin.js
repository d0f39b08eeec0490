/*
 * Swedish for the few admin texts that no translation catalogue reaches: the date picker (a
 * vendored jQuery plugin in Wagtail) writes its "Save Selected" button in English into every
 * picker it draws. The pickers are drawn when a date field is first used, so they are watched for.
 */
(function () {
  "use strict";

  var TEXTS = [[".xdsoft_save_selected", "Använd valt datum"]];

  function translate(root) {
    TEXTS.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (node) {
        if (node.textContent !== pair[1]) node.textContent = pair[1];
      });
    });
  }

  function start() {
    translate(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) translate(node.parentNode || node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
