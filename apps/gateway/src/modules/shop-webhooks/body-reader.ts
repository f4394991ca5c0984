import type { IncomingMessage } from 'node:http';
import { HttpProblem } from '@bogholder/service-kit';

/** 1 MiB: the largest webhook body accepted (CONTRACT.md §3). */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends HttpProblem {
  constructor(limit: number) {
    super(413, `the body is larger than ${limit} bytes (1 MiB): split the data, e.g. send a stock snapshot in several parts`, [{ field: '(body)', message: 'over 1 MiB' }], 'body_too_large');
  }
}

/**
 * Reads the raw request body (the signature covers the exact bytes). Stops at `limit` without
 * reading the rest: a declared Content-Length over the limit is refused before reading at all.
 */
export function readRawBody(req: IncomingMessage, limit = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new HttpProblem(400, `the body could not be read: ${err.message}`, [{ field: '(body)', message: 'unreadable' }], 'body_unreadable'));
    };
    const onClose = () => {
      if (req.complete) return;
      cleanup();
      reject(new HttpProblem(400, 'the sender closed the connection before the body was complete', [{ field: '(body)', message: 'incomplete' }], 'body_incomplete'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
