// A scripted upstream for the few answers the simulator does not give (an error with
// llama.cpp's context-overflow details, a 429 with Retry-After, a model path as the model
// name, a 100 MB stream event). Every request is recorded; `respond(req, body, res)` answers.
import { createServer } from 'node:http';

export async function startFakeLane(respond) {
  const requests = [];
  const server = createServer((req, res) => {
    const pieces = [];
    req.on('data', (d) => pieces.push(d));
    req.on('end', () => {
      const body = Buffer.concat(pieces).toString();
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      Promise.resolve(respond(req, body, res)).catch(() => res.destroy());
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export function sendJson(res, status, value, headers = {}) {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text),
                          ...headers });
  res.end(text);
}

// A llama.cpp-style chat completion answered under the model name `model`.
export function completion(model, content = 'Hello there.') {
  return {
    choices: [{ finish_reason: 'stop', index: 0, message: { role: 'assistant', content } }],
    created: 1795316283, model, object: 'chat.completion',
    usage: { completion_tokens: 3, prompt_tokens: 25, total_tokens: 28 },
    id: 'chatcmpl-fake',
  };
}

export function chunk(model, delta, finish = null) {
  return { choices: [{ finish_reason: finish, index: 0, delta }], created: 1795316286,
           id: 'chatcmpl-fake', model, object: 'chat.completion.chunk' };
}
