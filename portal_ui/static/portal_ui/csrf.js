/* The session's current CSRF token for the portal's fetch() calls, read at each call: a login in another
   tab replaces the cookie, and the token a page was served with is then out of date. The page's hidden
   input is the fallback for a browser that keeps no cookie. Loaded first by base.html. */
(function () {
  "use strict";
  window.portalCsrfToken = function (scope) {
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
    if (cookie) return decodeURIComponent(cookie[1]);
    var input = (scope || document).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
})();
