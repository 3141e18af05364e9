// redflag: the page works without this file. It only adds "copy" buttons.
"use strict";
(function () {
  function copyText(area) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(area.value);
    }
    area.focus();
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var area = document.getElementById(button.getAttribute("data-copy"));
      if (!area) { return; }
      var status = button.parentNode.querySelector(".copy-status");
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(area).then(function () {
          if (status) { status.textContent = "Copied. Now paste it into the form."; }
        }, function () {
          area.focus();
          area.select();
          if (status) { status.textContent = "Select the text and copy it yourself (Ctrl+C, or Cmd+C on a Mac)."; }
        });
      });
    });
  });
})();
