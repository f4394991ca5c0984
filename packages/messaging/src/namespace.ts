/**
 * A deployment namespace for the bus. Empty in production (subjects are exactly CONTRACT.md's);
 * tests and side-by-side environments set one so their subjects, streams and consumers never meet.
 */
export class BusNamespace {
  constructor(readonly prefix = '') {
    if (prefix && !/^[a-z0-9_-]+$/i.test(prefix)) throw new Error(`NATS namespace "${prefix}" may only contain letters, digits, - and _`);
  }

  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  /** Strips the namespace from a subject seen on the wire. */
  unprefix(subject: string): string {
    return this.prefix && subject.startsWith(`${this.prefix}.`) ? subject.slice(this.prefix.length + 1) : subject;
  }

  stream(name: string): string {
    return this.prefix ? `${this.prefix.toUpperCase().replace(/-/g, '_')}_${name}` : name;
  }
}
