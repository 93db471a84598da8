// Original file: proto/sergeant/v1/worker.proto

import type { CancelTask as _sergeant_v1_CancelTask, CancelTask__Output as _sergeant_v1_CancelTask__Output } from '../../sergeant/v1/CancelTask';
import type { Drain as _sergeant_v1_Drain, Drain__Output as _sergeant_v1_Drain__Output } from '../../sergeant/v1/Drain';
import type { Stop as _sergeant_v1_Stop, Stop__Output as _sergeant_v1_Stop__Output } from '../../sergeant/v1/Stop';

export interface Command {
  'cancel'?: (_sergeant_v1_CancelTask | null);
  'drain'?: (_sergeant_v1_Drain | null);
  'stop'?: (_sergeant_v1_Stop | null);
  'body'?: "cancel"|"drain"|"stop";
}

export interface Command__Output {
  'cancel'?: (_sergeant_v1_CancelTask__Output | null);
  'drain'?: (_sergeant_v1_Drain__Output | null);
  'stop'?: (_sergeant_v1_Stop__Output | null);
  'body'?: "cancel"|"drain"|"stop";
}
