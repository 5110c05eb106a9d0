// For the tests of a server's keep-alive handling (the emulator's and the token service's):
// two GETs of `url` on one keep-alive socket, `idleMs` apart. The second says whether it
// reused the socket (the server had not closed it while idle).
import { Agent, request } from 'node:http';

export interface Answer {
  status: number | undefined;
  reused: boolean;
}

export async function twoRequestsIdleApart(url: string, idleMs: number): Promise<[Answer, Answer]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    const first = await get();
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    return [first, await get()];
  } finally {
    agent.destroy();
  }
}
