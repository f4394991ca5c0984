/** Injection tokens shared by the service kit. */
export const SERVICE_ENV = 'bogholder:service-env';
export const SERVICE_NAME = 'bogholder:service-name';
