import { ALL_SUBJECTS, Subject } from './subjects';

export interface StreamDefinition {
  /** Stream name (a deployment namespace may prefix it, see @bogholder/messaging). */
  name: string;
  /** The service that publishes into it: one stream per producing service. */
  producer: 'gateway' | 'invoicing' | 'customers' | 'inventory';
  subjects: string[];
}

export const STREAMS: readonly StreamDefinition[] = [
  { name: 'GATEWAY', producer: 'gateway', subjects: ['shop.>', 'economic.>', 'settings.>'] },
  { name: 'INVOICING', producer: 'invoicing', subjects: ['invoice.>', 'creditnote.>', 'payment.>'] },
  { name: 'CUSTOMERS', producer: 'customers', subjects: ['customer.>'] },
  { name: 'INVENTORY', producer: 'inventory', subjects: ['stock.>', 'inventory.>'] },
];

/** NATS subject matching: `*` matches one token, `>` one or more trailing tokens. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

export function streamsFor(subject: string): StreamDefinition[] {
  return STREAMS.filter((st) => st.subjects.some((pattern) => subjectMatches(pattern, subject)));
}

export function streamFor(subject: Subject): StreamDefinition {
  const found = streamsFor(subject);
  if (found.length !== 1) throw new Error(`subject ${subject} falls under ${found.length} streams; expected exactly one`);
  return found[0]!;
}

export const subjectsOfStream = (name: string): Subject[] =>
  ALL_SUBJECTS.filter((subject) => streamsFor(subject).some((st) => st.name === name));
