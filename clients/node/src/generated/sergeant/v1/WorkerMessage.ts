// Original file: proto/sergeant/v1/worker.proto

import type { Hello as _sergeant_v1_Hello, Hello__Output as _sergeant_v1_Hello__Output } from '../../sergeant/v1/Hello';
import type { Heartbeat as _sergeant_v1_Heartbeat, Heartbeat__Output as _sergeant_v1_Heartbeat__Output } from '../../sergeant/v1/Heartbeat';
import type { OutcomeBatch as _sergeant_v1_OutcomeBatch, OutcomeBatch__Output as _sergeant_v1_OutcomeBatch__Output } from '../../sergeant/v1/OutcomeBatch';
import type { ProgressBatch as _sergeant_v1_ProgressBatch, ProgressBatch__Output as _sergeant_v1_ProgressBatch__Output } from '../../sergeant/v1/ProgressBatch';
import type { Goodbye as _sergeant_v1_Goodbye, Goodbye__Output as _sergeant_v1_Goodbye__Output } from '../../sergeant/v1/Goodbye';

/**
 * Up the stream. The first message MUST be hello.
 */
export interface WorkerMessage {
  'hello'?: (_sergeant_v1_Hello | null);
  'heartbeat'?: (_sergeant_v1_Heartbeat | null);
  'outcomes'?: (_sergeant_v1_OutcomeBatch | null);
  'progress'?: (_sergeant_v1_ProgressBatch | null);
  'goodbye'?: (_sergeant_v1_Goodbye | null);
  'body'?: "hello"|"heartbeat"|"outcomes"|"progress"|"goodbye";
}

/**
 * Up the stream. The first message MUST be hello.
 */
export interface WorkerMessage__Output {
  'hello'?: (_sergeant_v1_Hello__Output | null);
  'heartbeat'?: (_sergeant_v1_Heartbeat__Output | null);
  'outcomes'?: (_sergeant_v1_OutcomeBatch__Output | null);
  'progress'?: (_sergeant_v1_ProgressBatch__Output | null);
  'goodbye'?: (_sergeant_v1_Goodbye__Output | null);
  'body'?: "hello"|"heartbeat"|"outcomes"|"progress"|"goodbye";
}
