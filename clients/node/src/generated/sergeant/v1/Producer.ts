// Original file: proto/sergeant/v1/producer.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelRequest as _sergeant_v1_CancelRequest, CancelRequest__Output as _sergeant_v1_CancelRequest__Output } from '../../sergeant/v1/CancelRequest';
import type { CancelResponse as _sergeant_v1_CancelResponse, CancelResponse__Output as _sergeant_v1_CancelResponse__Output } from '../../sergeant/v1/CancelResponse';
import type { GetTaskRequest as _sergeant_v1_GetTaskRequest, GetTaskRequest__Output as _sergeant_v1_GetTaskRequest__Output } from '../../sergeant/v1/GetTaskRequest';
import type { GetTaskResponse as _sergeant_v1_GetTaskResponse, GetTaskResponse__Output as _sergeant_v1_GetTaskResponse__Output } from '../../sergeant/v1/GetTaskResponse';
import type { PushRequest as _sergeant_v1_PushRequest, PushRequest__Output as _sergeant_v1_PushRequest__Output } from '../../sergeant/v1/PushRequest';
import type { PushResponse as _sergeant_v1_PushResponse, PushResponse__Output as _sergeant_v1_PushResponse__Output } from '../../sergeant/v1/PushResponse';
import type { SubmitRequest as _sergeant_v1_SubmitRequest, SubmitRequest__Output as _sergeant_v1_SubmitRequest__Output } from '../../sergeant/v1/SubmitRequest';
import type { TaskEvent as _sergeant_v1_TaskEvent, TaskEvent__Output as _sergeant_v1_TaskEvent__Output } from '../../sergeant/v1/TaskEvent';
import type { WatchRequest as _sergeant_v1_WatchRequest, WatchRequest__Output as _sergeant_v1_WatchRequest__Output } from '../../sergeant/v1/WatchRequest';

export interface ProducerClient extends grpc.Client {
  /**
   * Cancel: a queued task never runs; a running one's worker is told to stop it.
   */
  Cancel(argument: _sergeant_v1_CancelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _sergeant_v1_CancelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _sergeant_v1_CancelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _sergeant_v1_CancelRequest, callback: grpc.requestCallback<_sergeant_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Cancel: a queued task never runs; a running one's worker is told to stop it.
   */
  cancel(argument: _sergeant_v1_CancelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  cancel(argument: _sergeant_v1_CancelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  cancel(argument: _sergeant_v1_CancelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  cancel(argument: _sergeant_v1_CancelRequest, callback: grpc.requestCallback<_sergeant_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  
  GetTask(argument: _sergeant_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _sergeant_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _sergeant_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _sergeant_v1_GetTaskRequest, callback: grpc.requestCallback<_sergeant_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _sergeant_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _sergeant_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _sergeant_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _sergeant_v1_GetTaskRequest, callback: grpc.requestCallback<_sergeant_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Push one task or a batch (atomically, one store round trip). Returns once the store holds them.
   */
  Push(argument: _sergeant_v1_PushRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  Push(argument: _sergeant_v1_PushRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  Push(argument: _sergeant_v1_PushRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  Push(argument: _sergeant_v1_PushRequest, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Push one task or a batch (atomically, one store round trip). Returns once the store holds them.
   */
  push(argument: _sergeant_v1_PushRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  push(argument: _sergeant_v1_PushRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  push(argument: _sergeant_v1_PushRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  push(argument: _sergeant_v1_PushRequest, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Bulk ingest: stream batches; each batch is stored as it arrives; one response at the end.
   */
  PushStream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientWritableStream<_sergeant_v1_PushRequest>;
  PushStream(metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientWritableStream<_sergeant_v1_PushRequest>;
  PushStream(options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientWritableStream<_sergeant_v1_PushRequest>;
  PushStream(callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientWritableStream<_sergeant_v1_PushRequest>;
  /**
   * Bulk ingest: stream batches; each batch is stored as it arrives; one response at the end.
   */
  pushStream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientWritableStream<_sergeant_v1_PushRequest>;
  pushStream(metadata: grpc.Metadata, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientWritableStream<_sergeant_v1_PushRequest>;
  pushStream(options: grpc.CallOptions, callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientWritableStream<_sergeant_v1_PushRequest>;
  pushStream(callback: grpc.requestCallback<_sergeant_v1_PushResponse__Output>): grpc.ClientWritableStream<_sergeant_v1_PushRequest>;
  
  /**
   * Push one task and stream its events: ACCEPTED, STARTED, PROGRESS..., then a terminal event.
   */
  Submit(argument: _sergeant_v1_SubmitRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_sergeant_v1_TaskEvent__Output>;
  Submit(argument: _sergeant_v1_SubmitRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_sergeant_v1_TaskEvent__Output>;
  /**
   * Push one task and stream its events: ACCEPTED, STARTED, PROGRESS..., then a terminal event.
   */
  submit(argument: _sergeant_v1_SubmitRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_sergeant_v1_TaskEvent__Output>;
  submit(argument: _sergeant_v1_SubmitRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_sergeant_v1_TaskEvent__Output>;
  
  /**
   * Stream events of given tasks (ends when all are terminal) or of a whole queue (never ends).
   */
  Watch(argument: _sergeant_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_sergeant_v1_TaskEvent__Output>;
  Watch(argument: _sergeant_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_sergeant_v1_TaskEvent__Output>;
  /**
   * Stream events of given tasks (ends when all are terminal) or of a whole queue (never ends).
   */
  watch(argument: _sergeant_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_sergeant_v1_TaskEvent__Output>;
  watch(argument: _sergeant_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_sergeant_v1_TaskEvent__Output>;
  
}

export interface ProducerHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Cancel: a queued task never runs; a running one's worker is told to stop it.
   */
  Cancel: grpc.handleUnaryCall<_sergeant_v1_CancelRequest__Output, _sergeant_v1_CancelResponse>;
  
  GetTask: grpc.handleUnaryCall<_sergeant_v1_GetTaskRequest__Output, _sergeant_v1_GetTaskResponse>;
  
  /**
   * Push one task or a batch (atomically, one store round trip). Returns once the store holds them.
   */
  Push: grpc.handleUnaryCall<_sergeant_v1_PushRequest__Output, _sergeant_v1_PushResponse>;
  
  /**
   * Bulk ingest: stream batches; each batch is stored as it arrives; one response at the end.
   */
  PushStream: grpc.handleClientStreamingCall<_sergeant_v1_PushRequest__Output, _sergeant_v1_PushResponse>;
  
  /**
   * Push one task and stream its events: ACCEPTED, STARTED, PROGRESS..., then a terminal event.
   */
  Submit: grpc.handleServerStreamingCall<_sergeant_v1_SubmitRequest__Output, _sergeant_v1_TaskEvent>;
  
  /**
   * Stream events of given tasks (ends when all are terminal) or of a whole queue (never ends).
   */
  Watch: grpc.handleServerStreamingCall<_sergeant_v1_WatchRequest__Output, _sergeant_v1_TaskEvent>;
  
}

export interface ProducerDefinition extends grpc.ServiceDefinition {
  Cancel: MethodDefinition<_sergeant_v1_CancelRequest, _sergeant_v1_CancelResponse, _sergeant_v1_CancelRequest__Output, _sergeant_v1_CancelResponse__Output>
  GetTask: MethodDefinition<_sergeant_v1_GetTaskRequest, _sergeant_v1_GetTaskResponse, _sergeant_v1_GetTaskRequest__Output, _sergeant_v1_GetTaskResponse__Output>
  Push: MethodDefinition<_sergeant_v1_PushRequest, _sergeant_v1_PushResponse, _sergeant_v1_PushRequest__Output, _sergeant_v1_PushResponse__Output>
  PushStream: MethodDefinition<_sergeant_v1_PushRequest, _sergeant_v1_PushResponse, _sergeant_v1_PushRequest__Output, _sergeant_v1_PushResponse__Output>
  Submit: MethodDefinition<_sergeant_v1_SubmitRequest, _sergeant_v1_TaskEvent, _sergeant_v1_SubmitRequest__Output, _sergeant_v1_TaskEvent__Output>
  Watch: MethodDefinition<_sergeant_v1_WatchRequest, _sergeant_v1_TaskEvent, _sergeant_v1_WatchRequest__Output, _sergeant_v1_TaskEvent__Output>
}
