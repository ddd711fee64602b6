import { InputError } from '../db/errors.ts';

/** A refresh asked for something that cannot be done; the surfaces show its message as it is. */
export class RefreshError extends InputError {}
