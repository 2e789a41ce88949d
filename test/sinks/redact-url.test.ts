import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/sinks/index.js';

describe('redactUrl', () => {
  it.each([
    ['postgres://alice:hunter2@db.example:5432/prod', 'postgres://alice:***@db.example:5432/prod'],
    ['postgresql://db.example/prod?user=a&password=hunter2&sslmode=require', 'postgresql://db.example/prod?user=a&password=***&sslmode=require'],
    ['https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4&X-Goog-Signature=abc123', 'https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4&X-Goog-Signature=***'],
    ['https://b.s3.amazonaws.com/o?X-Amz-Credential=AKIA&X-Amz-Security-Token=tok', 'https://b.s3.amazonaws.com/o?X-Amz-Credential=***&X-Amz-Security-Token=***'],
    ['postgres://u:p@w@[broken', 'postgres://***@[broken'],
    // Unparseable: a password with an unescaped / or #, and a secret parameter after a bad host.
    ['postgres://u:s3cret/pw@db:5432/prod', 'postgres://***@db:5432/prod'],
    ['postgres://u:s3cret#pw@db:5432/prod', 'postgres://***@db:5432/prod'],
    ['postgres://[db/prod?user=a&password=s3cret&sslmode=require', 'postgres://[db/prod?user=a&password=***&sslmode=require'],
  ])('hides the secrets of %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it.each(['postgres://alice@db/prod', 'gs://bucket/a.csv', 'sqlite:/tmp/a.db', '/data/scores.db', 'file:///x.csv?version=3'])('leaves %s as it is', (url) => {
    expect(redactUrl(url)).toBe(url);
  });
});
