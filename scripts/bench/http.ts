// HTTP for the benchmarks' own requests: one connection per request. With keep-alive
// a busy benchmark process can reuse a socket the server has just closed as idle
// ("other side closed", ECONNRESET), which would count as the server's failure.
// A caller that models clients which do keep their connection (the agents accepting
// chats) passes a keep-alive Agent of its own, busy enough never to sit idle.
import { request, type Agent } from 'node:http';

export interface BenchResponse {
  status: number;
  text: string;
}

export function send(url: string, init: { method: string; headers?: Record<string, string>; body?: string }, agent?: Agent): Promise<BenchResponse> {
  return new Promise((resolve, reject) => {
    const options = agent ? { method: init.method, headers: init.headers ?? {}, agent } : { method: init.method, headers: { ...init.headers, Connection: 'close' }, agent: false as const };
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
