import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Task as _sergeant_v1_Task, Task__Output as _sergeant_v1_Task__Output } from './sergeant/v1/Task';
import type { TaskError as _sergeant_v1_TaskError, TaskError__Output as _sergeant_v1_TaskError__Output } from './sergeant/v1/TaskError';
import type { TaskEvent as _sergeant_v1_TaskEvent, TaskEvent__Output as _sergeant_v1_TaskEvent__Output } from './sergeant/v1/TaskEvent';
import type { TaskResult as _sergeant_v1_TaskResult, TaskResult__Output as _sergeant_v1_TaskResult__Output } from './sergeant/v1/TaskResult';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  sergeant: {
    v1: {
      Compressor: EnumTypeDefinition
      EventKind: EnumTypeDefinition
      Priority: EnumTypeDefinition
      Serializer: EnumTypeDefinition
      Task: MessageTypeDefinition<_sergeant_v1_Task, _sergeant_v1_Task__Output>
      TaskError: MessageTypeDefinition<_sergeant_v1_TaskError, _sergeant_v1_TaskError__Output>
      TaskEvent: MessageTypeDefinition<_sergeant_v1_TaskEvent, _sergeant_v1_TaskEvent__Output>
      TaskResult: MessageTypeDefinition<_sergeant_v1_TaskResult, _sergeant_v1_TaskResult__Output>
      TaskState: EnumTypeDefinition
    }
  }
}

