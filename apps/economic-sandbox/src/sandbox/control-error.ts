/** An error from a `/__sandbox/*` route or the grant page: answered as `{statusCode, message}`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}
