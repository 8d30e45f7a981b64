// Progressive enhancement for the report form: show emergency routes the moment a student
// says they are not safe (without JavaScript they appear on the next page instead).
(function () {
  "use strict";
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
