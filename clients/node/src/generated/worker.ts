import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CancelTask as _sergeant_v1_CancelTask, CancelTask__Output as _sergeant_v1_CancelTask__Output } from './sergeant/v1/CancelTask';
import type { Command as _sergeant_v1_Command, Command__Output as _sergeant_v1_Command__Output } from './sergeant/v1/Command';
import type { Drain as _sergeant_v1_Drain, Drain__Output as _sergeant_v1_Drain__Output } from './sergeant/v1/Drain';
import type { GatewayMessage as _sergeant_v1_GatewayMessage, GatewayMessage__Output as _sergeant_v1_GatewayMessage__Output } from './sergeant/v1/GatewayMessage';
import type { Goodbye as _sergeant_v1_Goodbye, Goodbye__Output as _sergeant_v1_Goodbye__Output } from './sergeant/v1/Goodbye';
import type { Heartbeat as _sergeant_v1_Heartbeat, Heartbeat__Output as _sergeant_v1_Heartbeat__Output } from './sergeant/v1/Heartbeat';
import type { Hello as _sergeant_v1_Hello, Hello__Output as _sergeant_v1_Hello__Output } from './sergeant/v1/Hello';
import type { Outcome as _sergeant_v1_Outcome, Outcome__Output as _sergeant_v1_Outcome__Output } from './sergeant/v1/Outcome';
import type { OutcomeAck as _sergeant_v1_OutcomeAck, OutcomeAck__Output as _sergeant_v1_OutcomeAck__Output } from './sergeant/v1/OutcomeAck';
import type { OutcomeBatch as _sergeant_v1_OutcomeBatch, OutcomeBatch__Output as _sergeant_v1_OutcomeBatch__Output } from './sergeant/v1/OutcomeBatch';
import type { ProgressBatch as _sergeant_v1_ProgressBatch, ProgressBatch__Output as _sergeant_v1_ProgressBatch__Output } from './sergeant/v1/ProgressBatch';
import type { ProgressUpdate as _sergeant_v1_ProgressUpdate, ProgressUpdate__Output as _sergeant_v1_ProgressUpdate__Output } from './sergeant/v1/ProgressUpdate';
import type { Stop as _sergeant_v1_Stop, Stop__Output as _sergeant_v1_Stop__Output } from './sergeant/v1/Stop';
import type { StoreIdentity as _sergeant_v1_StoreIdentity, StoreIdentity__Output as _sergeant_v1_StoreIdentity__Output } from './sergeant/v1/StoreIdentity';
import type { Task as _sergeant_v1_Task, Task__Output as _sergeant_v1_Task__Output } from './sergeant/v1/Task';
import type { TaskError as _sergeant_v1_TaskError, TaskError__Output as _sergeant_v1_TaskError__Output } from './sergeant/v1/TaskError';
import type { TaskEvent as _sergeant_v1_TaskEvent, TaskEvent__Output as _sergeant_v1_TaskEvent__Output } from './sergeant/v1/TaskEvent';
import type { TaskResult as _sergeant_v1_TaskResult, TaskResult__Output as _sergeant_v1_TaskResult__Output } from './sergeant/v1/TaskResult';
import type { Welcome as _sergeant_v1_Welcome, Welcome__Output as _sergeant_v1_Welcome__Output } from './sergeant/v1/Welcome';
import type { WorkerMessage as _sergeant_v1_WorkerMessage, WorkerMessage__Output as _sergeant_v1_WorkerMessage__Output } from './sergeant/v1/WorkerMessage';
import type { WorkersClient as _sergeant_v1_WorkersClient, WorkersDefinition as _sergeant_v1_WorkersDefinition } from './sergeant/v1/Workers';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  sergeant: {
    v1: {
      CancelTask: MessageTypeDefinition<_sergeant_v1_CancelTask, _sergeant_v1_CancelTask__Output>
      Command: MessageTypeDefinition<_sergeant_v1_Command, _sergeant_v1_Command__Output>
      Compressor: EnumTypeDefinition
      Disposition: EnumTypeDefinition
      Drain: MessageTypeDefinition<_sergeant_v1_Drain, _sergeant_v1_Drain__Output>
      EventKind: EnumTypeDefinition
      GatewayMessage: MessageTypeDefinition<_sergeant_v1_GatewayMessage, _sergeant_v1_GatewayMessage__Output>
      Goodbye: MessageTypeDefinition<_sergeant_v1_Goodbye, _sergeant_v1_Goodbye__Output>
      Heartbeat: MessageTypeDefinition<_sergeant_v1_Heartbeat, _sergeant_v1_Heartbeat__Output>
      Hello: MessageTypeDefinition<_sergeant_v1_Hello, _sergeant_v1_Hello__Output>
      Outcome: MessageTypeDefinition<_sergeant_v1_Outcome, _sergeant_v1_Outcome__Output>
      OutcomeAck: MessageTypeDefinition<_sergeant_v1_OutcomeAck, _sergeant_v1_OutcomeAck__Output>
      OutcomeBatch: MessageTypeDefinition<_sergeant_v1_OutcomeBatch, _sergeant_v1_OutcomeBatch__Output>
      OutcomeKind: EnumTypeDefinition
      Priority: EnumTypeDefinition
      ProgressBatch: MessageTypeDefinition<_sergeant_v1_ProgressBatch, _sergeant_v1_ProgressBatch__Output>
      ProgressUpdate: MessageTypeDefinition<_sergeant_v1_ProgressUpdate, _sergeant_v1_ProgressUpdate__Output>
      Serializer: EnumTypeDefinition
      Stop: MessageTypeDefinition<_sergeant_v1_Stop, _sergeant_v1_Stop__Output>
      StoreIdentity: MessageTypeDefinition<_sergeant_v1_StoreIdentity, _sergeant_v1_StoreIdentity__Output>
      Task: MessageTypeDefinition<_sergeant_v1_Task, _sergeant_v1_Task__Output>
      TaskError: MessageTypeDefinition<_sergeant_v1_TaskError, _sergeant_v1_TaskError__Output>
      TaskEvent: MessageTypeDefinition<_sergeant_v1_TaskEvent, _sergeant_v1_TaskEvent__Output>
      TaskResult: MessageTypeDefinition<_sergeant_v1_TaskResult, _sergeant_v1_TaskResult__Output>
      TaskState: EnumTypeDefinition
      Welcome: MessageTypeDefinition<_sergeant_v1_Welcome, _sergeant_v1_Welcome__Output>
      WorkerMessage: MessageTypeDefinition<_sergeant_v1_WorkerMessage, _sergeant_v1_WorkerMessage__Output>
      Workers: SubtypeConstructor<typeof grpc.Client, _sergeant_v1_WorkersClient> & { service: _sergeant_v1_WorkersDefinition }
    }
  }
}

