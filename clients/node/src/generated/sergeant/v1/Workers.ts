// Original file: proto/sergeant/v1/worker.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GatewayMessage as _sergeant_v1_GatewayMessage, GatewayMessage__Output as _sergeant_v1_GatewayMessage__Output } from '../../sergeant/v1/GatewayMessage';
import type { WorkerMessage as _sergeant_v1_WorkerMessage, WorkerMessage__Output as _sergeant_v1_WorkerMessage__Output } from '../../sergeant/v1/WorkerMessage';

export interface WorkersClient extends grpc.Client {
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sergeant_v1_WorkerMessage, _sergeant_v1_GatewayMessage__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sergeant_v1_WorkerMessage, _sergeant_v1_GatewayMessage__Output>;
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_sergeant_v1_WorkerMessage, _sergeant_v1_GatewayMessage__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_sergeant_v1_WorkerMessage, _sergeant_v1_GatewayMessage__Output>;
  
}

export interface WorkersHandlers extends grpc.UntypedServiceImplementation {
  Session: grpc.handleBidiStreamingCall<_sergeant_v1_WorkerMessage__Output, _sergeant_v1_GatewayMessage>;
  
}

export interface WorkersDefinition extends grpc.ServiceDefinition {
  Session: MethodDefinition<_sergeant_v1_WorkerMessage, _sergeant_v1_GatewayMessage, _sergeant_v1_WorkerMessage__Output, _sergeant_v1_GatewayMessage__Output>
}
