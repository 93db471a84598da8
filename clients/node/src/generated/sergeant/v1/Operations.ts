// Original file: proto/sergeant/v1/operations.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetVersionRequest as _sergeant_v1_GetVersionRequest, GetVersionRequest__Output as _sergeant_v1_GetVersionRequest__Output } from '../../sergeant/v1/GetVersionRequest';
import type { GetVersionResponse as _sergeant_v1_GetVersionResponse, GetVersionResponse__Output as _sergeant_v1_GetVersionResponse__Output } from '../../sergeant/v1/GetVersionResponse';
import type { ListDeadLettersRequest as _sergeant_v1_ListDeadLettersRequest, ListDeadLettersRequest__Output as _sergeant_v1_ListDeadLettersRequest__Output } from '../../sergeant/v1/ListDeadLettersRequest';
import type { ListDeadLettersResponse as _sergeant_v1_ListDeadLettersResponse, ListDeadLettersResponse__Output as _sergeant_v1_ListDeadLettersResponse__Output } from '../../sergeant/v1/ListDeadLettersResponse';
import type { ListQueuesRequest as _sergeant_v1_ListQueuesRequest, ListQueuesRequest__Output as _sergeant_v1_ListQueuesRequest__Output } from '../../sergeant/v1/ListQueuesRequest';
import type { ListQueuesResponse as _sergeant_v1_ListQueuesResponse, ListQueuesResponse__Output as _sergeant_v1_ListQueuesResponse__Output } from '../../sergeant/v1/ListQueuesResponse';
import type { ListWorkersRequest as _sergeant_v1_ListWorkersRequest, ListWorkersRequest__Output as _sergeant_v1_ListWorkersRequest__Output } from '../../sergeant/v1/ListWorkersRequest';
import type { ListWorkersResponse as _sergeant_v1_ListWorkersResponse, ListWorkersResponse__Output as _sergeant_v1_ListWorkersResponse__Output } from '../../sergeant/v1/ListWorkersResponse';
import type { PauseQueueRequest as _sergeant_v1_PauseQueueRequest, PauseQueueRequest__Output as _sergeant_v1_PauseQueueRequest__Output } from '../../sergeant/v1/PauseQueueRequest';
import type { PauseQueueResponse as _sergeant_v1_PauseQueueResponse, PauseQueueResponse__Output as _sergeant_v1_PauseQueueResponse__Output } from '../../sergeant/v1/PauseQueueResponse';
import type { PurgeDeadLettersRequest as _sergeant_v1_PurgeDeadLettersRequest, PurgeDeadLettersRequest__Output as _sergeant_v1_PurgeDeadLettersRequest__Output } from '../../sergeant/v1/PurgeDeadLettersRequest';
import type { PurgeDeadLettersResponse as _sergeant_v1_PurgeDeadLettersResponse, PurgeDeadLettersResponse__Output as _sergeant_v1_PurgeDeadLettersResponse__Output } from '../../sergeant/v1/PurgeDeadLettersResponse';
import type { PurgeQueueRequest as _sergeant_v1_PurgeQueueRequest, PurgeQueueRequest__Output as _sergeant_v1_PurgeQueueRequest__Output } from '../../sergeant/v1/PurgeQueueRequest';
import type { PurgeQueueResponse as _sergeant_v1_PurgeQueueResponse, PurgeQueueResponse__Output as _sergeant_v1_PurgeQueueResponse__Output } from '../../sergeant/v1/PurgeQueueResponse';
import type { ReplayDeadLettersRequest as _sergeant_v1_ReplayDeadLettersRequest, ReplayDeadLettersRequest__Output as _sergeant_v1_ReplayDeadLettersRequest__Output } from '../../sergeant/v1/ReplayDeadLettersRequest';
import type { ReplayDeadLettersResponse as _sergeant_v1_ReplayDeadLettersResponse, ReplayDeadLettersResponse__Output as _sergeant_v1_ReplayDeadLettersResponse__Output } from '../../sergeant/v1/ReplayDeadLettersResponse';
import type { ResumeQueueRequest as _sergeant_v1_ResumeQueueRequest, ResumeQueueRequest__Output as _sergeant_v1_ResumeQueueRequest__Output } from '../../sergeant/v1/ResumeQueueRequest';
import type { ResumeQueueResponse as _sergeant_v1_ResumeQueueResponse, ResumeQueueResponse__Output as _sergeant_v1_ResumeQueueResponse__Output } from '../../sergeant/v1/ResumeQueueResponse';

export interface OperationsClient extends grpc.Client {
  GetVersion(argument: _sergeant_v1_GetVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  GetVersion(argument: _sergeant_v1_GetVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  GetVersion(argument: _sergeant_v1_GetVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  GetVersion(argument: _sergeant_v1_GetVersionRequest, callback: grpc.requestCallback<_sergeant_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  getVersion(argument: _sergeant_v1_GetVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  getVersion(argument: _sergeant_v1_GetVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  getVersion(argument: _sergeant_v1_GetVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  getVersion(argument: _sergeant_v1_GetVersionRequest, callback: grpc.requestCallback<_sergeant_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  
  ListDeadLetters(argument: _sergeant_v1_ListDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ListDeadLetters(argument: _sergeant_v1_ListDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ListDeadLetters(argument: _sergeant_v1_ListDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ListDeadLetters(argument: _sergeant_v1_ListDeadLettersRequest, callback: grpc.requestCallback<_sergeant_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _sergeant_v1_ListDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _sergeant_v1_ListDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _sergeant_v1_ListDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  listDeadLetters(argument: _sergeant_v1_ListDeadLettersRequest, callback: grpc.requestCallback<_sergeant_v1_ListDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  
  ListQueues(argument: _sergeant_v1_ListQueuesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  ListQueues(argument: _sergeant_v1_ListQueuesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  ListQueues(argument: _sergeant_v1_ListQueuesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  ListQueues(argument: _sergeant_v1_ListQueuesRequest, callback: grpc.requestCallback<_sergeant_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _sergeant_v1_ListQueuesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _sergeant_v1_ListQueuesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _sergeant_v1_ListQueuesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _sergeant_v1_ListQueuesRequest, callback: grpc.requestCallback<_sergeant_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  
  ListWorkers(argument: _sergeant_v1_ListWorkersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  ListWorkers(argument: _sergeant_v1_ListWorkersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  ListWorkers(argument: _sergeant_v1_ListWorkersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  ListWorkers(argument: _sergeant_v1_ListWorkersRequest, callback: grpc.requestCallback<_sergeant_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  listWorkers(argument: _sergeant_v1_ListWorkersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  listWorkers(argument: _sergeant_v1_ListWorkersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  listWorkers(argument: _sergeant_v1_ListWorkersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  listWorkers(argument: _sergeant_v1_ListWorkersRequest, callback: grpc.requestCallback<_sergeant_v1_ListWorkersResponse__Output>): grpc.ClientUnaryCall;
  
  PauseQueue(argument: _sergeant_v1_PauseQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  PauseQueue(argument: _sergeant_v1_PauseQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  PauseQueue(argument: _sergeant_v1_PauseQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  PauseQueue(argument: _sergeant_v1_PauseQueueRequest, callback: grpc.requestCallback<_sergeant_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  pauseQueue(argument: _sergeant_v1_PauseQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  pauseQueue(argument: _sergeant_v1_PauseQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  pauseQueue(argument: _sergeant_v1_PauseQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  pauseQueue(argument: _sergeant_v1_PauseQueueRequest, callback: grpc.requestCallback<_sergeant_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  
  PurgeDeadLetters(argument: _sergeant_v1_PurgeDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  PurgeDeadLetters(argument: _sergeant_v1_PurgeDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  PurgeDeadLetters(argument: _sergeant_v1_PurgeDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  PurgeDeadLetters(argument: _sergeant_v1_PurgeDeadLettersRequest, callback: grpc.requestCallback<_sergeant_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadLetters(argument: _sergeant_v1_PurgeDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadLetters(argument: _sergeant_v1_PurgeDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadLetters(argument: _sergeant_v1_PurgeDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadLetters(argument: _sergeant_v1_PurgeDeadLettersRequest, callback: grpc.requestCallback<_sergeant_v1_PurgeDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  
  PurgeQueue(argument: _sergeant_v1_PurgeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  PurgeQueue(argument: _sergeant_v1_PurgeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  PurgeQueue(argument: _sergeant_v1_PurgeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  PurgeQueue(argument: _sergeant_v1_PurgeQueueRequest, callback: grpc.requestCallback<_sergeant_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  purgeQueue(argument: _sergeant_v1_PurgeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  purgeQueue(argument: _sergeant_v1_PurgeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  purgeQueue(argument: _sergeant_v1_PurgeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  purgeQueue(argument: _sergeant_v1_PurgeQueueRequest, callback: grpc.requestCallback<_sergeant_v1_PurgeQueueResponse__Output>): grpc.ClientUnaryCall;
  
  ReplayDeadLetters(argument: _sergeant_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ReplayDeadLetters(argument: _sergeant_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ReplayDeadLetters(argument: _sergeant_v1_ReplayDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  ReplayDeadLetters(argument: _sergeant_v1_ReplayDeadLettersRequest, callback: grpc.requestCallback<_sergeant_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _sergeant_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _sergeant_v1_ReplayDeadLettersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _sergeant_v1_ReplayDeadLettersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  replayDeadLetters(argument: _sergeant_v1_ReplayDeadLettersRequest, callback: grpc.requestCallback<_sergeant_v1_ReplayDeadLettersResponse__Output>): grpc.ClientUnaryCall;
  
  ResumeQueue(argument: _sergeant_v1_ResumeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  ResumeQueue(argument: _sergeant_v1_ResumeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  ResumeQueue(argument: _sergeant_v1_ResumeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  ResumeQueue(argument: _sergeant_v1_ResumeQueueRequest, callback: grpc.requestCallback<_sergeant_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  resumeQueue(argument: _sergeant_v1_ResumeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  resumeQueue(argument: _sergeant_v1_ResumeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  resumeQueue(argument: _sergeant_v1_ResumeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  resumeQueue(argument: _sergeant_v1_ResumeQueueRequest, callback: grpc.requestCallback<_sergeant_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface OperationsHandlers extends grpc.UntypedServiceImplementation {
  GetVersion: grpc.handleUnaryCall<_sergeant_v1_GetVersionRequest__Output, _sergeant_v1_GetVersionResponse>;
  
  ListDeadLetters: grpc.handleUnaryCall<_sergeant_v1_ListDeadLettersRequest__Output, _sergeant_v1_ListDeadLettersResponse>;
  
  ListQueues: grpc.handleUnaryCall<_sergeant_v1_ListQueuesRequest__Output, _sergeant_v1_ListQueuesResponse>;
  
  ListWorkers: grpc.handleUnaryCall<_sergeant_v1_ListWorkersRequest__Output, _sergeant_v1_ListWorkersResponse>;
  
  PauseQueue: grpc.handleUnaryCall<_sergeant_v1_PauseQueueRequest__Output, _sergeant_v1_PauseQueueResponse>;
  
  PurgeDeadLetters: grpc.handleUnaryCall<_sergeant_v1_PurgeDeadLettersRequest__Output, _sergeant_v1_PurgeDeadLettersResponse>;
  
  PurgeQueue: grpc.handleUnaryCall<_sergeant_v1_PurgeQueueRequest__Output, _sergeant_v1_PurgeQueueResponse>;
  
  ReplayDeadLetters: grpc.handleUnaryCall<_sergeant_v1_ReplayDeadLettersRequest__Output, _sergeant_v1_ReplayDeadLettersResponse>;
  
  ResumeQueue: grpc.handleUnaryCall<_sergeant_v1_ResumeQueueRequest__Output, _sergeant_v1_ResumeQueueResponse>;
  
}

export interface OperationsDefinition extends grpc.ServiceDefinition {
  GetVersion: MethodDefinition<_sergeant_v1_GetVersionRequest, _sergeant_v1_GetVersionResponse, _sergeant_v1_GetVersionRequest__Output, _sergeant_v1_GetVersionResponse__Output>
  ListDeadLetters: MethodDefinition<_sergeant_v1_ListDeadLettersRequest, _sergeant_v1_ListDeadLettersResponse, _sergeant_v1_ListDeadLettersRequest__Output, _sergeant_v1_ListDeadLettersResponse__Output>
  ListQueues: MethodDefinition<_sergeant_v1_ListQueuesRequest, _sergeant_v1_ListQueuesResponse, _sergeant_v1_ListQueuesRequest__Output, _sergeant_v1_ListQueuesResponse__Output>
  ListWorkers: MethodDefinition<_sergeant_v1_ListWorkersRequest, _sergeant_v1_ListWorkersResponse, _sergeant_v1_ListWorkersRequest__Output, _sergeant_v1_ListWorkersResponse__Output>
  PauseQueue: MethodDefinition<_sergeant_v1_PauseQueueRequest, _sergeant_v1_PauseQueueResponse, _sergeant_v1_PauseQueueRequest__Output, _sergeant_v1_PauseQueueResponse__Output>
  PurgeDeadLetters: MethodDefinition<_sergeant_v1_PurgeDeadLettersRequest, _sergeant_v1_PurgeDeadLettersResponse, _sergeant_v1_PurgeDeadLettersRequest__Output, _sergeant_v1_PurgeDeadLettersResponse__Output>
  PurgeQueue: MethodDefinition<_sergeant_v1_PurgeQueueRequest, _sergeant_v1_PurgeQueueResponse, _sergeant_v1_PurgeQueueRequest__Output, _sergeant_v1_PurgeQueueResponse__Output>
  ReplayDeadLetters: MethodDefinition<_sergeant_v1_ReplayDeadLettersRequest, _sergeant_v1_ReplayDeadLettersResponse, _sergeant_v1_ReplayDeadLettersRequest__Output, _sergeant_v1_ReplayDeadLettersResponse__Output>
  ResumeQueue: MethodDefinition<_sergeant_v1_ResumeQueueRequest, _sergeant_v1_ResumeQueueResponse, _sergeant_v1_ResumeQueueRequest__Output, _sergeant_v1_ResumeQueueResponse__Output>
}
