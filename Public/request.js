// Shows the price of the chosen option beside a select whose every option label carries one ("… from €2.99/month"),
// and updates it as the choice changes, so the cost is in view while choosing. Without JavaScript the option labels
// themselves show the prices; nothing here is needed to submit the form.
(function () {
  "use strict";
  var price = /(from )?€\s?\d+(?:[.,]\d+)?\/(month|h)/;

  Array.prototype.forEach.call(document.querySelectorAll("main form select[id]"), function (select) {
    var options = Array.prototype.filter.call(select.options, function (option) { return option.value !== ""; });
    if (options.length === 0 || !options.every(function (option) { return price.test(option.text); })) { return; }
    var hint = document.createElement("p");
    hint.className = "hint cost";
    var output = document.createElement("output");
    output.id = select.id + "-cost";
    output.htmlFor = select.id;
    output.setAttribute("aria-live", "polite");
    hint.appendChild(document.createTextNode("Cost: "));
    hint.appendChild(output);
    select.insertAdjacentElement("afterend", hint);

    function show() {
      var chosen = select.options[select.selectedIndex];
      var match = chosen && chosen.value !== "" ? chosen.text.match(price) : null;
      output.textContent = match ? match[0] : "choose an option to see its price";
    }
    select.addEventListener("change", show);
    show();
  });
})();
