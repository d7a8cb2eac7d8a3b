// Shows a chosen badge image before it is uploaded, on the achievement
// editor. A progressive enhancement: without it the upload works the same.
"use strict";
document.addEventListener("change", function (ev) {
  var input = ev.target;
  if (!input.matches || !input.matches("input[type=file][data-preview]")) return;
  var box = document.getElementById(input.getAttribute("data-preview"));
  var img = box && box.querySelector("img");
  if (!img) return;
  var file = input.files && input.files[0];
  if (!file || !/^image\/(png|svg\+xml)$/.test(file.type)) {
    box.hidden = true;
    return;
  }
  var reader = new FileReader();
  reader.onload = function () {
    img.src = reader.result;
    box.hidden = false;
  };
  reader.readAsDataURL(file);
});
