// HTTP for the benchmarks' own requests: one connection per request. With keep-alive
// a busy benchmark process can reuse a socket the server has just closed as idle
// ("other side closed", ECONNRESET), which would count as the server's failure.
import { request } from 'node:http';

export interface BenchResponse {
  status: number;
  text: string;
}

export function send(url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<BenchResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: { ...init.headers, Connection: 'close' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
