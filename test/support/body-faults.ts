import type { ServerResponse } from 'node:http';

/** Ways a test server can misbehave while sending a body. */
export type BodyFault =
  | { readonly kind: 'drop'; readonly afterBytes: number }
  | { readonly kind: 'stall'; readonly afterBytes: number };

/**
 * Sends `body` as the rest of a response whose headers (with the full Content-Length) are set; a fault
 * sends only its first `afterBytes`, then destroys the socket (`drop`) or keeps it open and silent
 * (`stall`, until the client gives up or the server closes).
 */
export function sendBody(response: ServerResponse, body: Buffer, fault: BodyFault | undefined): void {
  if (fault === undefined) {
    response.end(body);
    return;
  }
  response.flushHeaders();
  response.write(body.subarray(0, fault.afterBytes), () => {
    if (fault.kind === 'drop') response.socket?.destroy();
  });
}

/** A per-key queue of faults: each response for the key takes the next one. */
export class FaultQueue<Fault> {
  private readonly queues = new Map<string, Fault[]>();

  /** Plans `fault` for the next `times` responses for `key`, after any already planned. */
  add(key: string, fault: Fault, times = 1): void {
    const queue = this.queues.get(key) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.queues.set(key, queue);
  }

  /** The fault for this response, if any is left and `applies` to it (else it stays planned). */
  take(key: string, applies: (fault: Fault) => boolean = () => true): Fault | undefined {
    const queue = this.queues.get(key);
    return queue?.[0] !== undefined && applies(queue[0]) ? queue.shift() : undefined;
  }
}
