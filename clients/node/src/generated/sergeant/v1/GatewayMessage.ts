// Original file: proto/sergeant/v1/worker.proto

import type { Welcome as _sergeant_v1_Welcome, Welcome__Output as _sergeant_v1_Welcome__Output } from '../../sergeant/v1/Welcome';
import type { OutcomeAck as _sergeant_v1_OutcomeAck, OutcomeAck__Output as _sergeant_v1_OutcomeAck__Output } from '../../sergeant/v1/OutcomeAck';
import type { Command as _sergeant_v1_Command, Command__Output as _sergeant_v1_Command__Output } from '../../sergeant/v1/Command';

/**
 * Down the stream.
 */
export interface GatewayMessage {
  'welcome'?: (_sergeant_v1_Welcome | null);
  'outcomeAck'?: (_sergeant_v1_OutcomeAck | null);
  'command'?: (_sergeant_v1_Command | null);
  'body'?: "welcome"|"outcomeAck"|"command";
}

/**
 * Down the stream.
 */
export interface GatewayMessage__Output {
  'welcome'?: (_sergeant_v1_Welcome__Output | null);
  'outcomeAck'?: (_sergeant_v1_OutcomeAck__Output | null);
  'command'?: (_sergeant_v1_Command__Output | null);
  'body'?: "welcome"|"outcomeAck"|"command";
}
