import http from 'node:http';
import { GraphSimulator, deliverOverHttp } from 'graph-ivr';

// Your bot, as in production: it answers calls with its own HTTP client (here plain fetch) at
// its own callback. graph-ivr does not appear in it.
const bot = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', async () => {
    res.writeHead(202).end();
    for (const n of JSON.parse(body).value) {
      console.log(`bot got: ${n.changeType} ${n.resourceData.state ?? n.resourceData.status}`);
      if (n.resourceData.state === 'incoming') {
        await fetch(`https://graph.microsoft.com/v1.0${n.resourceUrl}/answer`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer token' },
          body: JSON.stringify({ acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } }),
        });
      }
    }
  });
});
await new Promise((resolve) => bot.listen(0, '127.0.0.1', resolve));

// The test: three lines of set-up.
const graph = new GraphSimulator({ seed: 1 });
globalThis.fetch = graph.fetch;
const call = graph.incomingCall({ callbackUri: `http://127.0.0.1:${bot.address().port}/api/calls` });
await graph.run(2000, deliverOverHttp());

console.log(`the call is ${call.state} at ${graph.now} ms`);
bot.close();
