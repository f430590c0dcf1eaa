/** `GET /` under `npm start`: where everything is, for someone who just ran it. */
export const HOME_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Comment Desk</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/demo/demo.css">
</head>
<body>
<main>
<h1>Comment Desk is running</h1>
<p>This page is shown by <code>npm start</code> only.</p>
<ul>
<li><a href="/desk/">The moderators' console</a>: sign in with a moderator's token, from
<code>npm run token -- --sub mona --name Mona --role moderator</code></li>
<li><a href="/demo/">A news page with an open thread</a> and <a href="/demo/closed.html">one with a closed thread</a>, as a publisher embeds them</li>
<li><a href="/demo/evening.html">A page of a second site, The Evening Post</a>: its own readers and login, on the same installation
(its tokens: <code>npm run token -- --site evening --sub maya --name Maya</code>)</li>
<li><a href="/api/docs">The API's documentation</a> (<a href="/api/docs-json">its OpenAPI document</a>)</li>
<li><a href="/api/health">Health</a> and <a href="/api/metrics">metrics</a></li>
</ul>
</main>
</body>
</html>
`;
