/**
 * Worker thread that checks shop webhook bodies (see WebhookBodyChecker): JSON parsing and
 * class-validator are the costliest part of a webhook, so they run beside the HTTP thread.
 */
import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { checkWebhookBody } from './webhook-body';

export interface BodyJob {
  id: number;
  contentType: string | undefined;
  raw: Uint8Array;
}

parentPort!.on('message', (jobs: BodyJob[]) => {
  parentPort!.postMessage(
    jobs.map((job) => {
      try {
        const check = checkWebhookBody(job.contentType, job.raw);
        // The parsed body stays here: the HTTP thread parses the (small) JSON again, which is cheaper than copying the object back.
        return { id: job.id, check: check.ok ? { ok: true } : check };
      } catch {
        return { id: job.id, check: null };
      }
    }),
  );
});
