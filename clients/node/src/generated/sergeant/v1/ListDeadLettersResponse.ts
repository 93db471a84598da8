// Original file: proto/sergeant/v1/operations.proto

import type { DeadLetter as _sergeant_v1_DeadLetter, DeadLetter__Output as _sergeant_v1_DeadLetter__Output } from '../../sergeant/v1/DeadLetter';

export interface ListDeadLettersResponse {
  'deadLetters'?: (_sergeant_v1_DeadLetter)[];
}

export interface ListDeadLettersResponse__Output {
  'deadLetters': (_sergeant_v1_DeadLetter__Output)[];
}
