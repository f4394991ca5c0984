import { SetMetadata } from '@nestjs/common';
import type { Subject } from '@bogholder/contracts';
import type { ConsumerOptions } from '@bogholder/messaging';

export const ON_EVENT = 'bogholder:on-event';
export const ON_RPC = 'bogholder:on-rpc';

export interface OnEventMetadata {
  subject: Subject;
  options: ConsumerOptions;
}

/** Marks a provider method as the durable JetStream handler of `subject` for this service. */
export const OnEvent = (subject: Subject, options: ConsumerOptions = {}) => SetMetadata<string, OnEventMetadata>(ON_EVENT, { subject, options });

/** Marks a provider method as the request/reply handler of an `rpc.` subject. */
export const OnRpc = (subject: string) => SetMetadata(ON_RPC, subject);
