// Sends JSON bodies of the sizes given to URL with Node's fetch (undici), each several times, from a
// process of its own (a client in the server's process never races it); prints what each got.
// usage: node fetch-oversized.mjs URL TOKEN TIMES MB[:chunked]...
const [url, token, times, ...cases] = process.argv.slice(2);
const MB = 1024 * 1024;
const results = [];
for (const spec of cases) {
  const [mb, chunked] = [Number(spec.split(':')[0]), spec.endsWith(':chunked')];
  const json = Buffer.from(JSON.stringify({ url: 'https://news.example/big', title: 'x'.repeat(mb * MB) }));
  for (let i = 0; i < Number(times); i++) {
    let offset = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (offset >= json.length) return controller.close();
        controller.enqueue(json.subarray(offset, (offset += 64 * 1024)));
      },
    });
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        ...(chunked ? { body: stream, duplex: 'half' } : { body: json }),
      });
      results.push({ spec, status: res.status, type: res.headers.get('content-type'), body: await res.json() });
    } catch (error) {
      results.push({ spec, error: `${error} (${error.cause})` });
    }
  }
}
console.log(JSON.stringify(results));
