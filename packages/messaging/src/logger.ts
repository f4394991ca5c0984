/** The slice of a pino-style logger the messaging code needs. */
export interface MessagingLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = () => undefined;
export const silentLogger: MessagingLogger = { debug: noop, info: noop, warn: noop, error: noop };
