// Progressive enhancement for the report form: show emergency routes the moment a student
// says they are not safe (without JavaScript they appear on the next page instead).
(function () {
  "use strict";
  // One report per click: after "Send my report" is pressed, the button waits.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.value === "next" && form.querySelector("input[name=step][value=review]")) {
        var sending = button.getAttribute("data-sending") || "Sending…";
        setTimeout(function () { button.disabled = true; button.textContent = sending; }, 0);
      }
    });
  });
  var box = document.getElementById("emergency-early");
  if (!box) { return; }
  function update() {
    var chosen = document.querySelector("input[name='safe']:checked");
    box.hidden = !(chosen && chosen.value === "no");
  }
  document.querySelectorAll("input[name='safe']").forEach(function (input) {
    input.addEventListener("change", update);
  });
  update();
}());
