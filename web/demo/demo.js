// The publisher's side of sign-in, as a real site would do it with its own login: when the thread
// asks (comment-desk-login), get a token and hand it to the element. Here the token comes from
// `npm run token`, pasted into a small form. The tab remembers it (sessionStorage), as a site's
// session would outlive a reload; Sign out forgets it. Each site has its own login, so its own
// remembered token: a token of one site is not given to another's page.
(function () {
  var thread = document.querySelector('comment-desk-thread');
  var site = thread.getAttribute('site');
  var KEY = 'comment-desk-demo-token' + (site ? ':' + site : '');
  var panel = document.getElementById('login');
  var form = panel.querySelector('form');
  var input = panel.querySelector('input');
  var signOut = document.getElementById('signout');

  // Storage can be refused (a privacy setting): the demo then keeps the token in memory only.
  function remember(token) {
    try {
      if (token) sessionStorage.setItem(KEY, token);
      else sessionStorage.removeItem(KEY);
    } catch (e) {}
  }
  function remembered() {
    try {
      return sessionStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }
  function signIn(token) {
    thread.token = token;
    signOut.hidden = false;
  }

  var kept = remembered();
  if (kept) signIn(kept);

  thread.addEventListener('comment-desk-login', function () {
    panel.hidden = false;
    input.focus();
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var token = input.value.trim();
    if (!token) return;
    remember(token);
    signIn(token);
    input.value = '';
    panel.hidden = true;
  });
  panel.querySelector('button[type=button]').addEventListener('click', function () {
    panel.hidden = true;
  });
  signOut.addEventListener('click', function () {
    remember(null);
    thread.token = null;
    signOut.hidden = true;
  });
})();
