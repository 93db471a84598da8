import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { DeadLetter as _sergeant_v1_DeadLetter, DeadLetter__Output as _sergeant_v1_DeadLetter__Output } from './sergeant/v1/DeadLetter';
import type { GetVersionRequest as _sergeant_v1_GetVersionRequest, GetVersionRequest__Output as _sergeant_v1_GetVersionRequest__Output } from './sergeant/v1/GetVersionRequest';
import type { GetVersionResponse as _sergeant_v1_GetVersionResponse, GetVersionResponse__Output as _sergeant_v1_GetVersionResponse__Output } from './sergeant/v1/GetVersionResponse';
import type { ListDeadLettersRequest as _sergeant_v1_ListDeadLettersRequest, ListDeadLettersRequest__Output as _sergeant_v1_ListDeadLettersRequest__Output } from './sergeant/v1/ListDeadLettersRequest';
import type { ListDeadLettersResponse as _sergeant_v1_ListDeadLettersResponse, ListDeadLettersResponse__Output as _sergeant_v1_ListDeadLettersResponse__Output } from './sergeant/v1/ListDeadLettersResponse';
import type { ListQueuesRequest as _sergeant_v1_ListQueuesRequest, ListQueuesRequest__Output as _sergeant_v1_ListQueuesRequest__Output } from './sergeant/v1/ListQueuesRequest';
import type { ListQueuesResponse as _sergeant_v1_ListQueuesResponse, ListQueuesResponse__Output as _sergeant_v1_ListQueuesResponse__Output } from './sergeant/v1/ListQueuesResponse';
import type { ListWorkersRequest as _sergeant_v1_ListWorkersRequest, ListWorkersRequest__Output as _sergeant_v1_ListWorkersRequest__Output } from './sergeant/v1/ListWorkersRequest';
import type { ListWorkersResponse as _sergeant_v1_ListWorkersResponse, ListWorkersResponse__Output as _sergeant_v1_ListWorkersResponse__Output } from './sergeant/v1/ListWorkersResponse';
import type { OperationsClient as _sergeant_v1_OperationsClient, OperationsDefinition as _sergeant_v1_OperationsDefinition } from './sergeant/v1/Operations';
import type { PauseQueueRequest as _sergeant_v1_PauseQueueRequest, PauseQueueRequest__Output as _sergeant_v1_PauseQueueRequest__Output } from './sergeant/v1/PauseQueueRequest';
import type { PauseQueueResponse as _sergeant_v1_PauseQueueResponse, PauseQueueResponse__Output as _sergeant_v1_PauseQueueResponse__Output } from './sergeant/v1/PauseQueueResponse';
import type { PurgeDeadLettersRequest as _sergeant_v1_PurgeDeadLettersRequest, PurgeDeadLettersRequest__Output as _sergeant_v1_PurgeDeadLettersRequest__Output } from './sergeant/v1/PurgeDeadLettersRequest';
import type { PurgeDeadLettersResponse as _sergeant_v1_PurgeDeadLettersResponse, PurgeDeadLettersResponse__Output as _sergeant_v1_PurgeDeadLettersResponse__Output } from './sergeant/v1/PurgeDeadLettersResponse';
import type { PurgeQueueRequest as _sergeant_v1_PurgeQueueRequest, PurgeQueueRequest__Output as _sergeant_v1_PurgeQueueRequest__Output } from './sergeant/v1/PurgeQueueRequest';
import type { PurgeQueueResponse as _sergeant_v1_PurgeQueueResponse, PurgeQueueResponse__Output as _sergeant_v1_PurgeQueueResponse__Output } from './sergeant/v1/PurgeQueueResponse';
import type { QueueInfo as _sergeant_v1_QueueInfo, QueueInfo__Output as _sergeant_v1_QueueInfo__Output } from './sergeant/v1/QueueInfo';
import type { ReplayDeadLettersRequest as _sergeant_v1_ReplayDeadLettersRequest, ReplayDeadLettersRequest__Output as _sergeant_v1_ReplayDeadLettersRequest__Output } from './sergeant/v1/ReplayDeadLettersRequest';
import type { ReplayDeadLettersResponse as _sergeant_v1_ReplayDeadLettersResponse, ReplayDeadLettersResponse__Output as _sergeant_v1_ReplayDeadLettersResponse__Output } from './sergeant/v1/ReplayDeadLettersResponse';
import type { ResumeQueueRequest as _sergeant_v1_ResumeQueueRequest, ResumeQueueRequest__Output as _sergeant_v1_ResumeQueueRequest__Output } from './sergeant/v1/ResumeQueueRequest';
import type { ResumeQueueResponse as _sergeant_v1_ResumeQueueResponse, ResumeQueueResponse__Output as _sergeant_v1_ResumeQueueResponse__Output } from './sergeant/v1/ResumeQueueResponse';
import type { Task as _sergeant_v1_Task, Task__Output as _sergeant_v1_Task__Output } from './sergeant/v1/Task';
import type { TaskError as _sergeant_v1_TaskError, TaskError__Output as _sergeant_v1_TaskError__Output } from './sergeant/v1/TaskError';
import type { TaskEvent as _sergeant_v1_TaskEvent, TaskEvent__Output as _sergeant_v1_TaskEvent__Output } from './sergeant/v1/TaskEvent';
import type { TaskResult as _sergeant_v1_TaskResult, TaskResult__Output as _sergeant_v1_TaskResult__Output } from './sergeant/v1/TaskResult';
import type { WorkerInfo as _sergeant_v1_WorkerInfo, WorkerInfo__Output as _sergeant_v1_WorkerInfo__Output } from './sergeant/v1/WorkerInfo';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  sergeant: {
    v1: {
      Compressor: EnumTypeDefinition
      DeadLetter: MessageTypeDefinition<_sergeant_v1_DeadLetter, _sergeant_v1_DeadLetter__Output>
      EventKind: EnumTypeDefinition
      GetVersionRequest: MessageTypeDefinition<_sergeant_v1_GetVersionRequest, _sergeant_v1_GetVersionRequest__Output>
      GetVersionResponse: MessageTypeDefinition<_sergeant_v1_GetVersionResponse, _sergeant_v1_GetVersionResponse__Output>
      ListDeadLettersRequest: MessageTypeDefinition<_sergeant_v1_ListDeadLettersRequest, _sergeant_v1_ListDeadLettersRequest__Output>
      ListDeadLettersResponse: MessageTypeDefinition<_sergeant_v1_ListDeadLettersResponse, _sergeant_v1_ListDeadLettersResponse__Output>
      ListQueuesRequest: MessageTypeDefinition<_sergeant_v1_ListQueuesRequest, _sergeant_v1_ListQueuesRequest__Output>
      ListQueuesResponse: MessageTypeDefinition<_sergeant_v1_ListQueuesResponse, _sergeant_v1_ListQueuesResponse__Output>
      ListWorkersRequest: MessageTypeDefinition<_sergeant_v1_ListWorkersRequest, _sergeant_v1_ListWorkersRequest__Output>
      ListWorkersResponse: MessageTypeDefinition<_sergeant_v1_ListWorkersResponse, _sergeant_v1_ListWorkersResponse__Output>
      Operations: SubtypeConstructor<typeof grpc.Client, _sergeant_v1_OperationsClient> & { service: _sergeant_v1_OperationsDefinition }
      PauseQueueRequest: MessageTypeDefinition<_sergeant_v1_PauseQueueRequest, _sergeant_v1_PauseQueueRequest__Output>
      PauseQueueResponse: MessageTypeDefinition<_sergeant_v1_PauseQueueResponse, _sergeant_v1_PauseQueueResponse__Output>
      Priority: EnumTypeDefinition
      PurgeDeadLettersRequest: MessageTypeDefinition<_sergeant_v1_PurgeDeadLettersRequest, _sergeant_v1_PurgeDeadLettersRequest__Output>
      PurgeDeadLettersResponse: MessageTypeDefinition<_sergeant_v1_PurgeDeadLettersResponse, _sergeant_v1_PurgeDeadLettersResponse__Output>
      PurgeQueueRequest: MessageTypeDefinition<_sergeant_v1_PurgeQueueRequest, _sergeant_v1_PurgeQueueRequest__Output>
      PurgeQueueResponse: MessageTypeDefinition<_sergeant_v1_PurgeQueueResponse, _sergeant_v1_PurgeQueueResponse__Output>
      QueueInfo: MessageTypeDefinition<_sergeant_v1_QueueInfo, _sergeant_v1_QueueInfo__Output>
      ReplayDeadLettersRequest: MessageTypeDefinition<_sergeant_v1_ReplayDeadLettersRequest, _sergeant_v1_ReplayDeadLettersRequest__Output>
      ReplayDeadLettersResponse: MessageTypeDefinition<_sergeant_v1_ReplayDeadLettersResponse, _sergeant_v1_ReplayDeadLettersResponse__Output>
      ResumeQueueRequest: MessageTypeDefinition<_sergeant_v1_ResumeQueueRequest, _sergeant_v1_ResumeQueueRequest__Output>
      ResumeQueueResponse: MessageTypeDefinition<_sergeant_v1_ResumeQueueResponse, _sergeant_v1_ResumeQueueResponse__Output>
      Serializer: EnumTypeDefinition
      Task: MessageTypeDefinition<_sergeant_v1_Task, _sergeant_v1_Task__Output>
      TaskError: MessageTypeDefinition<_sergeant_v1_TaskError, _sergeant_v1_TaskError__Output>
      TaskEvent: MessageTypeDefinition<_sergeant_v1_TaskEvent, _sergeant_v1_TaskEvent__Output>
      TaskResult: MessageTypeDefinition<_sergeant_v1_TaskResult, _sergeant_v1_TaskResult__Output>
      TaskState: EnumTypeDefinition
      WorkerInfo: MessageTypeDefinition<_sergeant_v1_WorkerInfo, _sergeant_v1_WorkerInfo__Output>
    }
  }
}

