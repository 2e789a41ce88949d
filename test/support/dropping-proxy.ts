import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy to a local server that can cut connections, for servers that cannot inject faults
 * themselves (s3rver): after `dropAfter(bytes)`, whichever connection next carries `bytes` more
 * response bytes is destroyed at that point, mid-body, as a flaky network would. Keeps the text of
 * what clients sent, to assert on request headers.
 */
export class DroppingProxy {
  /** Everything clients sent, as latin1 text, one entry per TCP read. */
  readonly sent: string[] = [];
  private readonly drops: number[] = [];
  private passed = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(targetPort: number): Promise<DroppingProxy> {
    const server = createServer();
    const proxy = new DroppingProxy(server);
    server.on('connection', (client) => proxy.forward(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Plans `times` cuts, each after `bytes` more response bytes. */
  dropAfter(bytes: number, times = 1): void {
    if (this.drops.length === 0) this.passed = 0;
    for (let i = 0; i < times; i++) this.drops.push(bytes);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (data: Buffer) => {
      this.sent.push(data.toString('latin1'));
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      const limit = this.drops[0];
      if (limit !== undefined && this.passed + data.length > limit) {
        this.drops.shift();
        client.write(data.subarray(0, limit - this.passed), () => {
          client.destroy();
          upstream.destroy();
        });
        this.passed = 0;
        return;
      }
      this.passed += data.length;
      client.write(data);
    });
    upstream.on('end', () => client.end());
    client.on('close', () => upstream.destroy());
  }
}
