/* Demo bank hand-off: post the signed assertion to the portal at once, as the real bank's page does.
   A static file rather than an inline script: the Content-Security-Policy allows scripts from 'self' only. */
(function () {
  "use strict";
  var form = document.getElementById("handoff");
  if (form) form.submit();
})();
