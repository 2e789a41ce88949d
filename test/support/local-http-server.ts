import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a server listening on 127.0.0.1 with a free port. */
export async function listenLocally(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

/** `http://127.0.0.1:PORT` of a listening server. */
export function baseUrlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server, cutting the connections it still holds (stalled bodies, keep-alive sockets). */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
