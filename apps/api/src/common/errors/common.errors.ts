import { domainError } from './domain-error';

export interface FieldError {
  field: string;
  messages: string[];
}

/** A request body, query or path parameter failed validation. `details.fields` lists which. */
export class ValidationFailed extends domainError('VALIDATION_FAILED', 400, 'The request is invalid') {
  constructor(readonly fields: FieldError[]) {
    super(`The request is invalid: ${fields.map((f) => f.field).join(', ')}`, { fields });
  }
}
