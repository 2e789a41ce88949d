import { describe, expect, it } from 'vitest';
import { isStale, LOCK_STALE_AFTER_MS, type ProcessIdentity } from '../../src/sinks/table-lock.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const me: ProcessIdentity = { host: 'here', pid: 1, isAlive: (pid) => pid === 100, now: () => new Date(NOW) };
const holder = (host: string, pid: number, heartbeatAgoMs: number) => ({
  runId: 'r',
  host,
  pid,
  acquiredAt: new Date(NOW - 3_600_000).toISOString(),
  heartbeatAt: new Date(NOW - heartbeatAgoMs).toISOString(),
});

describe('isStale', () => {
  it('keeps a live holder on this host, or one elsewhere with a fresh heartbeat', () => {
    expect(isStale(holder('here', 100, 1_000), 'unsupported', me)).toBe(false);
    expect(isStale(holder('there', 7, LOCK_STALE_AFTER_MS - 1_000), 'unsupported', me)).toBe(false);
  });

  it('takes over a dead pid on this host, a heartbeat over 2 minutes old anywhere, or a holder whose session lock is gone', () => {
    expect(isStale(holder('here', 101, 1_000), 'unsupported', me)).toBe(true);
    expect(isStale(holder('there', 7, LOCK_STALE_AFTER_MS + 1_000), 'unsupported', me)).toBe(true);
    expect(isStale(holder('here', 100, 1_000), 'acquired', me)).toBe(true);
  });

  it('treats the same pid on another host as alive: pids are per host', () => {
    expect(isStale(holder('there', 101, 1_000), 'unsupported', me)).toBe(false);
  });
});
