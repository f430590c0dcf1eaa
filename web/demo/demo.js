// The publisher's side of sign-in, as a real site would do it with its own login: when the thread
// asks (comment-desk-login), get a token and hand it to the element. Here the token comes from
// `npm run token`, pasted into a small form. It stays in memory, like the embed keeps it.
(function () {
  var thread = document.querySelector('comment-desk-thread');
  var panel = document.getElementById('login');
  var form = panel.querySelector('form');
  var input = panel.querySelector('input');
  var signOut = document.getElementById('signout');

  thread.addEventListener('comment-desk-login', function () {
    panel.hidden = false;
    input.focus();
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!input.value.trim()) return;
    thread.token = input.value.trim();
    input.value = '';
    panel.hidden = true;
    signOut.hidden = false;
  });
  panel.querySelector('button[type=button]').addEventListener('click', function () {
    panel.hidden = true;
  });
  signOut.addEventListener('click', function () {
    thread.token = null;
    signOut.hidden = true;
  });
})();
