import type { TwilioErrorCode } from '../twilio-errors.ts';

/** A refusal by the Conversations model, with the HTTP status and Twilio code both APIs answer with. */
export class ModelError extends Error {
  constructor(
    readonly status: number,
    readonly code: TwilioErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
