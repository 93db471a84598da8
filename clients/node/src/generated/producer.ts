import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CancelRequest as _sergeant_v1_CancelRequest, CancelRequest__Output as _sergeant_v1_CancelRequest__Output } from './sergeant/v1/CancelRequest';
import type { CancelResponse as _sergeant_v1_CancelResponse, CancelResponse__Output as _sergeant_v1_CancelResponse__Output } from './sergeant/v1/CancelResponse';
import type { DuplicateTask as _sergeant_v1_DuplicateTask, DuplicateTask__Output as _sergeant_v1_DuplicateTask__Output } from './sergeant/v1/DuplicateTask';
import type { GetTaskRequest as _sergeant_v1_GetTaskRequest, GetTaskRequest__Output as _sergeant_v1_GetTaskRequest__Output } from './sergeant/v1/GetTaskRequest';
import type { GetTaskResponse as _sergeant_v1_GetTaskResponse, GetTaskResponse__Output as _sergeant_v1_GetTaskResponse__Output } from './sergeant/v1/GetTaskResponse';
import type { PackedTasks as _sergeant_v1_PackedTasks, PackedTasks__Output as _sergeant_v1_PackedTasks__Output } from './sergeant/v1/PackedTasks';
import type { ProducerClient as _sergeant_v1_ProducerClient, ProducerDefinition as _sergeant_v1_ProducerDefinition } from './sergeant/v1/Producer';
import type { PushRequest as _sergeant_v1_PushRequest, PushRequest__Output as _sergeant_v1_PushRequest__Output } from './sergeant/v1/PushRequest';
import type { PushResponse as _sergeant_v1_PushResponse, PushResponse__Output as _sergeant_v1_PushResponse__Output } from './sergeant/v1/PushResponse';
import type { PushedTask as _sergeant_v1_PushedTask, PushedTask__Output as _sergeant_v1_PushedTask__Output } from './sergeant/v1/PushedTask';
import type { SubmitRequest as _sergeant_v1_SubmitRequest, SubmitRequest__Output as _sergeant_v1_SubmitRequest__Output } from './sergeant/v1/SubmitRequest';
import type { Task as _sergeant_v1_Task, Task__Output as _sergeant_v1_Task__Output } from './sergeant/v1/Task';
import type { TaskError as _sergeant_v1_TaskError, TaskError__Output as _sergeant_v1_TaskError__Output } from './sergeant/v1/TaskError';
import type { TaskEvent as _sergeant_v1_TaskEvent, TaskEvent__Output as _sergeant_v1_TaskEvent__Output } from './sergeant/v1/TaskEvent';
import type { TaskResult as _sergeant_v1_TaskResult, TaskResult__Output as _sergeant_v1_TaskResult__Output } from './sergeant/v1/TaskResult';
import type { WatchRequest as _sergeant_v1_WatchRequest, WatchRequest__Output as _sergeant_v1_WatchRequest__Output } from './sergeant/v1/WatchRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  sergeant: {
    v1: {
      CancelOutcome: EnumTypeDefinition
      CancelRequest: MessageTypeDefinition<_sergeant_v1_CancelRequest, _sergeant_v1_CancelRequest__Output>
      CancelResponse: MessageTypeDefinition<_sergeant_v1_CancelResponse, _sergeant_v1_CancelResponse__Output>
      Compressor: EnumTypeDefinition
      DuplicateTask: MessageTypeDefinition<_sergeant_v1_DuplicateTask, _sergeant_v1_DuplicateTask__Output>
      EventKind: EnumTypeDefinition
      GetTaskRequest: MessageTypeDefinition<_sergeant_v1_GetTaskRequest, _sergeant_v1_GetTaskRequest__Output>
      GetTaskResponse: MessageTypeDefinition<_sergeant_v1_GetTaskResponse, _sergeant_v1_GetTaskResponse__Output>
      PackedTasks: MessageTypeDefinition<_sergeant_v1_PackedTasks, _sergeant_v1_PackedTasks__Output>
      Priority: EnumTypeDefinition
      Producer: SubtypeConstructor<typeof grpc.Client, _sergeant_v1_ProducerClient> & { service: _sergeant_v1_ProducerDefinition }
      PushRequest: MessageTypeDefinition<_sergeant_v1_PushRequest, _sergeant_v1_PushRequest__Output>
      PushResponse: MessageTypeDefinition<_sergeant_v1_PushResponse, _sergeant_v1_PushResponse__Output>
      PushedTask: MessageTypeDefinition<_sergeant_v1_PushedTask, _sergeant_v1_PushedTask__Output>
      Serializer: EnumTypeDefinition
      SubmitRequest: MessageTypeDefinition<_sergeant_v1_SubmitRequest, _sergeant_v1_SubmitRequest__Output>
      Task: MessageTypeDefinition<_sergeant_v1_Task, _sergeant_v1_Task__Output>
      TaskError: MessageTypeDefinition<_sergeant_v1_TaskError, _sergeant_v1_TaskError__Output>
      TaskEvent: MessageTypeDefinition<_sergeant_v1_TaskEvent, _sergeant_v1_TaskEvent__Output>
      TaskResult: MessageTypeDefinition<_sergeant_v1_TaskResult, _sergeant_v1_TaskResult__Output>
      TaskState: EnumTypeDefinition
      WatchRequest: MessageTypeDefinition<_sergeant_v1_WatchRequest, _sergeant_v1_WatchRequest__Output>
    }
  }
}

